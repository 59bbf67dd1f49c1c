import { createRequire } from 'node:module';

// Read once from package.json so `leakwatch --version` and reports never disagree with it.
const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };
export const VERSION: string = pkg.version;
