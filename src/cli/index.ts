export { run } from './run.js';
export { EXIT, captureIO, type CliIO, type RunResult } from './io.js';
