// Worker threads cannot load TypeScript by themselves; this plain-JS entry registers tsx
// and then loads the real worker module named in workerData.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.entry, import.meta.url);
