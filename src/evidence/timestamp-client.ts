import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage, isAbort, RetryableError, throwIfAborted } from '../errors.js';
import { writeFileAtomic } from './atomic-file.js';
import { PATHS } from './datapackage.js';
import { readPackageEntries } from './package-reader.js';
import { verifyPackageEntries } from './package-verify.js';
import { verifyTimestampReply } from './timestamp-reply.js';

/**
 * Submits pending RFC 3161 requests (`*.tsq` without a `.tsr` beside them) to a TSA and keeps
 * the replies that verify against the pinned TSA certificate. What a request stamps depends on
 * its subject (`<subject>.tsq`): for a `.wacz` the signature bytes in datapackage-digest.json,
 * for anything else (checkpoint notes) the file's bytes.
 */

const MAX_REPLY_BYTES = 1024 * 1024;
const MAX_SCAN_DEPTH = 4;

export interface TimestampPendingOptions {
  dirs: string[];
  tsaUrl: string;
  /** PEM of the pinned TSA certificate (or the CA that issued it). */
  trustedPem: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface TimestampOutcome {
  request: string;
  status: 'stamped' | 'rejected' | 'failed';
  genTime?: string;
  tsa?: string;
  problems: string[];
}

/** The bytes a request time-stamps, read from its subject file. */
export async function timestampedData(subjectPath: string): Promise<Buffer> {
  if (!subjectPath.endsWith('.wacz')) return readFileSync(subjectPath);
  const entries = await readPackageEntries(subjectPath);
  // A third party's timestamp lends weight: never obtain one for a package that does not verify.
  const check = await verifyPackageEntries(entries);
  if (!check.ok) throw new Error(`${subjectPath} does not verify (${check.problems.filter((p) => p.severity === 'error').map((p) => p.check).join(', ')}); not time-stamping it`);
  const digest = entries.find((e) => e.name === PATHS.digest);
  if (!digest) throw new Error(`${subjectPath} has no ${PATHS.digest}`);
  const parsed = JSON.parse(digest.data.toString('utf8')) as { signedData?: { signature?: string } };
  if (!parsed.signedData?.signature) throw new Error(`${subjectPath} is not signed`);
  return Buffer.from(parsed.signedData.signature, 'base64');
}

export function pendingRequests(dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (name.startsWith('.')) continue;
      const st = statSync(p);
      if (st.isDirectory() && depth < MAX_SCAN_DEPTH) walk(p, depth + 1);
      else if (st.isFile() && name.endsWith('.tsq') && !existsSync(p.slice(0, -4) + '.tsr')) out.push(p);
    }
  };
  for (const d of dirs) if (existsSync(d)) walk(d, 0);
  return out;
}

export async function submitTimestampRequest(url: string, der: Uint8Array, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Buffer> {
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? 30_000);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/timestamp-query', Accept: 'application/timestamp-reply' },
      body: der,
      signal,
      redirect: 'error',
    });
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    throw new RetryableError('E_TSA', `TSA not reachable: ${errorMessage(err)}`, { input: url, cause: err });
  }
  if (res.status !== 200) throw new RetryableError('E_TSA', `TSA answered HTTP ${res.status}`, { input: url });
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body ?? []) {
    total += (chunk as Uint8Array).length;
    if (total > MAX_REPLY_BYTES) throw new RetryableError('E_TSA', 'TSA reply exceeds 1 MiB', { input: url });
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks);
}

export async function timestampPending(opts: TimestampPendingOptions): Promise<TimestampOutcome[]> {
  const outcomes: TimestampOutcome[] = [];
  for (const request of pendingRequests(opts.dirs)) {
    throwIfAborted(opts.signal);
    try {
      const der = readFileSync(request);
      const data = await timestampedData(request.slice(0, -4));
      const reply = await submitTimestampRequest(opts.tsaUrl, der, { ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
      const v = await verifyTimestampReply({ reply, request: der, data, trustedPem: opts.trustedPem });
      if (v.ok) {
        writeFileAtomic(request.slice(0, -4) + '.tsr', reply, { overwrite: false });
        outcomes.push({ request, status: 'stamped', ...(v.genTime ? { genTime: v.genTime.toISOString() } : {}), ...(v.tsa ? { tsa: v.tsa } : {}), problems: [] });
      } else {
        outcomes.push({ request, status: 'rejected', ...(v.tsa ? { tsa: v.tsa } : {}), problems: v.problems });
      }
    } catch (err) {
      if (isAbort(err)) throw err;
      outcomes.push({ request, status: 'failed', problems: [errorMessage(err)] });
    }
  }
  return outcomes;
}
