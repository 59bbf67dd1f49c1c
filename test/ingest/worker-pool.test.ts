import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveKeys } from '../../src/fingerprint/keys.js';
import { WorkerPool } from '../../src/ingest/worker-pool.js';
import { useTempDir } from '../helpers/tmp.js';
import { randomText } from '../helpers/words.js';

const tmp = useTempDir();
const keys = deriveKeys(Buffer.alloc(32, 1));

describe('WorkerPool', () => {
  it('kills a worker that overruns its budget, reports that file, and keeps serving others', async () => {
    const dir = tmp();
    const file = join(dir, 'a.txt');
    writeFileSync(file, randomText(2000, 1));
    const strict = new WorkerPool({ size: 1, setup: { keys, limits: {}, dihedral: false }, taskTimeoutMs: 1 });
    const r = await strict.run(file, 'a.txt');
    await strict.close();
    expect(r.items).toEqual([]);
    expect(r.failures).toEqual([{ path: 'a.txt', code: 'E_TIMEOUT', message: 'gave up after 1 ms' }]);

    const pool = new WorkerPool({ size: 2, setup: { keys, limits: {}, dihedral: false }, taskTimeoutMs: 60_000 });
    const results = await Promise.all(Array.from({ length: 6 }, () => pool.run(file, 'a.txt')));
    await pool.close();
    for (const res of results) {
      expect(res.failures).toEqual([]);
      expect(res.items[0]!.tokens).toBe(2000);
    }
  });

  it('rejects queued work when aborted', async () => {
    const dir = tmp();
    const file = join(dir, 'a.txt');
    writeFileSync(file, randomText(200, 1));
    const pool = new WorkerPool({ size: 1, setup: { keys, limits: {}, dihedral: false }, taskTimeoutMs: 60_000 });
    const controller = new AbortController();
    const jobs = Array.from({ length: 4 }, () => pool.run(file, 'a.txt', controller.signal));
    controller.abort();
    const settled = await Promise.allSettled(jobs);
    await pool.close();
    expect(settled.every((s) => s.status === 'rejected')).toBe(true);
  });
});
