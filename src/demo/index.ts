export { DEMO_SITES, runDemo, type DemoOptions, type DemoResult } from './demo.js';
