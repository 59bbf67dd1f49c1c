import { availableParallelism } from 'node:os';
import type { ExtractFailure, ExtractLimits } from '../extract/types.js';
import { DEFAULT_LIMITS } from '../extract/types.js';
import { walkInputs } from '../extract/walk.js';
import type { FingerprintKeys } from '../fingerprint/keys.js';
import type { Matcher } from '../match/matcher.js';
import type { SampleResult } from '../match/types.js';
import { WorkerPool } from './worker-pool.js';

export interface ScanOptions {
  matcher: Matcher;
  keys: FingerprintKeys;
  paths: string[];
  workers?: number;
  limits?: Partial<ExtractLimits>;
  signal?: AbortSignal;
}

export interface ScanResult {
  samples: SampleResult[];
  failures: ExtractFailure[];
}

/**
 * `match`: fingerprint every input file and archive member on worker threads (with the 8
 * PDQ rotations/flips), then match each against the store. Results keep input order.
 */
export async function scanSamples(o: ScanOptions): Promise<ScanResult> {
  const files: { absPath: string; displayPath: string }[] = [];
  const failures: ExtractFailure[] = [];
  for await (const f of walkInputs(o.paths, { signal: o.signal })) {
    if ('absPath' in f) files.push(f);
    else failures.push(f);
  }
  const limits = { ...DEFAULT_LIMITS, ...o.limits };
  const samples: SampleResult[][] = [];
  if (files.length === 0) return { samples: [], failures };
  const pool = new WorkerPool({
    size: Math.min(o.workers ?? availableParallelism(), files.length),
    setup: { keys: o.keys, limits, dihedral: true },
    taskTimeoutMs: Math.ceil(limits.timeoutMs * 1.5) + 5_000,
  });
  try {
    await Promise.all(
      files.map(async (f, i) => {
        const r = await pool.run(f.absPath, f.displayPath, o.signal);
        failures.push(...r.failures);
        samples[i] = r.items.map((item) => {
          const warnings = [...item.warnings];
          const matches = o.matcher.match(item, warnings);
          return { path: item.path, sha256: item.sha256, size: item.size, type: item.type, matches, warnings };
        });
      }),
    );
  } finally {
    await pool.close();
  }
  return { samples: samples.flat(), failures };
}
