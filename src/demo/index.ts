export { runDemo, type DemoOptions, type DemoResult } from './demo.js';
export { makeLeakSamples, type DemoSample } from './leak-samples.js';
