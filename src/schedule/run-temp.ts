import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isPidAlive, ownStartTime, processStartTime } from './process-identity.js';

/**
 * A private folder under `<dataDir>/tmp/` for one crawl's downloads in progress. Crawls now
 * run side by side on one data folder (the daemon's sites in parallel, a cron `crawl` next to
 * the daemon), so no crawl may empty the shared `tmp/` when it ends: each removes only its own
 * folder. A folder left by a process that was killed (it may hold a plaintext sample half
 * downloaded) is removed by the next crawl, once its pid is gone or belongs to another process.
 */
export function createRunTempDir(dataDir: string): { dir: string; remove(): void } {
  const root = join(dataDir, 'tmp');
  mkdirSync(root, { recursive: true });
  removeAbandoned(root);
  const dir = mkdtempSync(join(root, `${process.pid}-${ownStartTime() ?? 'x'}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function removeAbandoned(root: string): void {
  for (const name of readdirSync(root)) {
    const m = /^(\d+)-(\d+|x)-/.exec(name);
    // Anything else is a leftover of the shared-folder layout of earlier versions: no crawl of
    // this version writes there, so it is safe to remove.
    const abandoned = !m || !isPidAlive(Number(m[1])) || (m[2] !== 'x' && processStartTime(Number(m[1])) !== m[2]);
    if (abandoned) rmSync(join(root, name), { recursive: true, force: true });
  }
}
