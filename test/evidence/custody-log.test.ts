import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/evidence/canonical-json.js';
import { entryHash, type CustodyEntry } from '../../src/evidence/custody-entry.js';
import {
  CustodyLog, initKeys, loadCustodyKey, loadSigningKey, verifyCustodyLog, verifyEvidence, writeEvidencePackage, type KeyPair, type LogVerification,
} from '../../src/evidence/index.js';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { useTempDir } from '../helpers/tmp.js';
import { FIXED_NOW, fixedClock, sampleCapture, sampleMatches, useSuiteDir } from './helpers.js';

const tmp = useTempDir('leakwatch-custody-');
const suite = useSuiteDir();
let keyDir: string;
let key: KeyPair;
beforeAll(() => {
  keyDir = join(suite(), 'keys');
  initKeys(keyDir);
  key = loadCustodyKey(keyDir);
});

/** A log of 10 events with a checkpoint after every 3 (checkpoints at sizes 3, 7, 11). */
async function makeLog(dir = tmp()): Promise<{ path: string; log: CustodyLog; entries: CustodyEntry[] }> {
  const path = join(dir, 'custody.jsonl');
  const log = CustodyLog.open(path, { key, clock: fixedClock(), checkpointEvery: 3, checkpointsDir: join(dir, 'checkpoints') });
  const types = ['capture', 'alert', 'access', 'export', 'takedown'] as const;
  for (let i = 0; i < 10; i++) await log.append({ type: types[i % types.length] as (typeof types)[number], subject: `subject-${i}`, actor: i % 2 ? 'crawler' : 'analyst', details: { i } });
  return { path, log, entries: readLines(path) };
}

function readLines(path: string): CustodyEntry[] {
  return readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as CustodyEntry);
}

function writeLines(path: string, entries: CustodyEntry[]): void {
  writeFileSync(path, entries.map((e) => canonicalJson(e) + '\n').join(''));
}

/** Recomputes every prev/hash from `from` on, as a forger without the signing key would. */
function rechain(entries: CustodyEntry[], from = 0): CustodyEntry[] {
  const out = entries.map((e) => ({ ...e }));
  for (let i = from; i < out.length; i++) {
    const e = out[i] as CustodyEntry;
    e.seq = i;
    e.prev = i === 0 ? '0'.repeat(64) : (out[i - 1] as CustodyEntry).hash;
    e.hash = entryHash(e);
  }
  return out;
}

function verify(path: string, extra: { head?: string | null; external?: boolean } = {}): LogVerification {
  const head = extra.head === undefined ? (existsSync(`${path}.head`) ? readFileSync(`${path}.head`, 'utf8') : null) : extra.head;
  const dir = join(path, '..', 'checkpoints');
  const externalCheckpoints = extra.external && existsSync(dir)
    ? readdirSync(dir).filter((n) => n.endsWith('.note')).map((n) => ({ source: n, text: readFileSync(join(dir, n), 'utf8') }))
    : [];
  return verifyCustodyLog({ text: readFileSync(path, 'utf8'), publicKey: key.publicKey, head, externalCheckpoints });
}

const errorChecks = (r: LogVerification): string[] => [...new Set(r.problems.filter((p) => p.severity === 'error').map((p) => p.check))];

describe('custody log', () => {
  it('chains entries, checkpoints periodically with signed notes, and keeps a signed head', async () => {
    const { path, entries } = await makeLog();
    expect(entries).toHaveLength(13);
    expect(entries.map((e) => e.seq)).toEqual([...Array(13).keys()]);
    expect(entries[0]?.prev).toBe('0'.repeat(64));
    for (let i = 1; i < entries.length; i++) expect(entries[i]?.prev).toBe(entries[i - 1]?.hash);
    const cps = entries.filter((e) => e.type === 'checkpoint');
    expect(cps.map((c) => c.details.treeSize)).toEqual([3, 7, 11]);
    const note = cps[0]?.details.note as string;
    expect(note).toMatch(/^leakwatch-custody-[0-9a-f]{16}\n3\n[A-Za-z0-9+/]{43}=\n\n\u2014 leakwatch-custody-[0-9a-f]{16} [A-Za-z0-9+/]+=*\n$/);
    const r = verify(path, { external: true });
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.head).toMatchObject({ treeSize: 13, matchesLog: true });
    expect(r.checkpoints.map((c) => c.matchesLog)).toEqual([true, true, true]);
    expect(readdirSync(join(path, '..', 'checkpoints')).sort()).toEqual([
      'checkpoint-11.note', 'checkpoint-11.note.tsq', 'checkpoint-3.note', 'checkpoint-3.note.tsq', 'checkpoint-7.note', 'checkpoint-7.note.tsq',
    ]);
  });

  it('detects an edited entry', async () => {
    const { path, entries } = await makeLog();
    (entries[4] as CustodyEntry).actor = 'someone-else';
    writeLines(path, entries);
    const r = verify(path);
    expect(errorChecks(r)).toContain('hash-mismatch');
    expect(r.problems.find((p) => p.check === 'hash-mismatch')?.line).toBe(5);
  });

  it('detects a deleted last entry (via the signed head)', async () => {
    const { path, entries } = await makeLog();
    writeLines(path, entries.slice(0, -1));
    const r = verify(path);
    expect(errorChecks(r)).toEqual(['log-truncated']);
    expect(r.problems[0]?.message).toMatch(/signed for 13 entries but the log has 12/);
  });

  it('detects a deleted last entry and head even without the head file: the head is required', async () => {
    const { path, entries } = await makeLog();
    writeLines(path, entries.slice(0, -1));
    expect(errorChecks(verify(path, { head: null }))).toEqual(['head-missing']);
  });

  it('detects a deleted middle entry', async () => {
    const { path, entries } = await makeLog();
    writeLines(path, [...entries.slice(0, 5), ...entries.slice(6)]);
    const checks = errorChecks(verify(path));
    expect(checks).toContain('seq');
    expect(checks).toContain('chain-break');
  });

  it('detects reordering', async () => {
    const { path, entries } = await makeLog();
    const swapped = [...entries];
    [swapped[5], swapped[6]] = [swapped[6] as CustodyEntry, swapped[5] as CustodyEntry];
    writeLines(path, swapped);
    const checks = errorChecks(verify(path));
    expect(checks).toContain('seq');
    expect(checks).toContain('chain-break');
    expect(checks).toContain('root-mismatch');
  });

  it('detects a fully re-chained rewrite through the older checkpoint that covers it', async () => {
    const { path, entries } = await makeLog();
    const forged = rechain(entries.map((e, i) => (i === 1 ? { ...e, subject: 'forged-subject' } : e)));
    writeLines(path, forged);
    const r = verify(path, { head: undefined });
    const checks = errorChecks(r);
    // The chain itself is now perfect…
    expect(checks).not.toContain('hash-mismatch');
    expect(checks).not.toContain('chain-break');
    // …but every signed tree head from size 3 on disagrees with the rewritten entries.
    expect(checks).toContain('root-mismatch');
    expect(r.problems.find((p) => p.check === 'root-mismatch')?.line).toBe(4);
    expect(checks).toContain('consistency');
  });

  it('detects a rewrite that also drops the later checkpoints, via checkpoints kept outside the log', async () => {
    const { path, entries } = await makeLog();
    // Keep entries up to the first checkpoint's coverage, forge entry 1, drop every checkpoint entry.
    const forged = rechain(entries.filter((e) => e.type !== 'checkpoint').map((e, i) => (i === 1 ? { ...e, subject: 'forged' } : e)));
    writeLines(path, forged);
    const inLogOnly = verify(path, { head: null });
    expect(errorChecks(inLogOnly)).toEqual(['head-missing']);
    const withExternal = verify(path, { head: null, external: true });
    expect(errorChecks(withExternal)).toContain('root-mismatch');
  });

  it('detects an altered checkpoint', async () => {
    const { path, entries } = await makeLog();
    const cp = entries[3] as CustodyEntry;
    const note = cp.details.note as string;
    const lines = note.split('\n');
    lines[1] = '2';
    const altered = { ...cp, details: { ...cp.details, note: lines.join('\n'), treeSize: 2 } };
    // Re-chained so only the checkpoint's own signature can tell.
    writeLines(path, rechain(entries.map((e, i) => (i === 3 ? altered : e))));
    const r = verify(path, { head: null });
    expect(errorChecks(r)).toContain('checkpoint-signature');
    expect(r.problems.find((p) => p.check === 'checkpoint-signature')?.line).toBe(4);
  });

  it('rejects checkpoints and heads signed by another key', async () => {
    const { path } = await makeLog();
    const otherDir = join(tmp(), 'other');
    initKeys(otherDir);
    const r = verifyCustodyLog({ text: readFileSync(path, 'utf8'), publicKey: loadCustodyKey(otherDir).publicKey, head: readFileSync(`${path}.head`, 'utf8') });
    expect(errorChecks(r)).toEqual(expect.arrayContaining(['checkpoint-key', 'checkpoint-signature']));
    const noKey = verifyCustodyLog({ text: readFileSync(path, 'utf8'), head: readFileSync(`${path}.head`, 'utf8') });
    expect(errorChecks(noKey)).toEqual(['no-key']);
  });

  it('reports a torn last line precisely, and refuses to append after it', async () => {
    const { path, log } = await makeLog();
    const before = readFileSync(path);
    const tornText = '{"actor":"crawler","details":{},"ha';
    appendFileSync(path, tornText);
    const r = verify(path);
    const torn = r.problems.find((p) => p.check === 'torn-tail');
    expect(torn).toMatchObject({ severity: 'error', line: 14 });
    expect(torn?.message).toContain(`byte offset ${before.length}`);
    expect(torn?.message).toContain(`${tornText.length} bytes`);
    await expect(log.append({ type: 'alert', subject: 'x', actor: 'crawler' })).rejects.toMatchObject({ code: 'E_CUSTODY_TORN' });
    const other = CustodyLog.open(path, { key });
    await expect(other.append({ type: 'alert', subject: 'x', actor: 'crawler' })).rejects.toMatchObject({ code: 'E_CUSTODY_TORN' });
  });

  it('serialises concurrent appends from two writers in one process', async () => {
    const dir = tmp();
    const path = join(dir, 'custody.jsonl');
    const a = CustodyLog.open(path, { key, checkpointEvery: 5 });
    const b = CustodyLog.open(path, { key, checkpointEvery: 5 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).append({ type: 'alert', subject: `s${i}`, actor: i % 2 ? 'a' : 'b' })));
    const r = verify(path);
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(readLines(path).filter((e) => e.type === 'alert')).toHaveLength(20);
  });

  it('serialises appends from another process (lock file + re-read before append)', async () => {
    const dir = tmp();
    const path = join(dir, 'custody.jsonl');
    const script = join(dir, 'child.mts');
    writeFileSync(
      script,
      `import { CustodyLog, loadCustodyKey } from ${JSON.stringify(join(PROJECT_ROOT, 'src', 'evidence', 'index.ts'))};\n` +
        `const log = CustodyLog.open(${JSON.stringify(path)}, { key: loadCustodyKey(${JSON.stringify(keyDir)}), checkpointEvery: 4 });\n` +
        `for (let i = 0; i < 15; i++) {\n` +
        `  await log.append({ type: 'access', subject: 'child-' + i, actor: 'child' });\n` +
        `  await new Promise((r) => setTimeout(r, 30));\n` +
        `}\n`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    let done = false;
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => {
      done = true;
      resolve(code);
    }));
    // Keep appending until the child has finished, so the two writers really overlap.
    const log = CustodyLog.open(path, { key, checkpointEvery: 4 });
    let parent = 0;
    while (!done && parent < 2000) {
      await log.append({ type: 'alert', subject: `parent-${parent}`, actor: 'parent' });
      parent++;
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(await exited, stderr).toBe(0);
    await log.append({ type: 'alert', subject: 'last', actor: 'parent' });
    parent++;
    const r = verify(path);
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const entries = readLines(path);
    expect(entries.filter((e) => e.actor === 'child')).toHaveLength(15);
    expect(entries.filter((e) => e.actor === 'parent')).toHaveLength(parent);
    // Interleaved: some parent entry sits between the child's first and last.
    const firstChild = entries.findIndex((e) => e.actor === 'child');
    const lastChild = entries.map((e) => e.actor).lastIndexOf('child');
    expect(entries.slice(firstChild, lastChild).some((e) => e.actor === 'parent')).toBe(true);
  }, 60_000);

  it('proves a package\'s capture entry is in the log, and reports when it is not', async () => {
    const dir = tmp();
    const paths = { log: join(dir, 'custody.jsonl') };
    const log = CustodyLog.open(paths.log, { key, clock: fixedClock(), checkpointEvery: 2 });
    await log.append({ type: 'alert', subject: 'a1', actor: 'crawler' });
    const pkg = await writeEvidencePackage(sampleCapture(), sampleMatches(), { outDir: dir, signingKey: loadSigningKey(keyDir).privateKey, now: FIXED_NOW, custodyLog: log });
    expect(pkg.custodyEntry).toMatchObject({ type: 'capture', subject: pkg.sha256, actor: 'analyst@example.org' });
    await log.append({ type: 'alert', subject: 'a2', actor: 'crawler' });
    const ok = await verifyEvidence({ packagePath: pkg.path, logPath: paths.log, keysDir: keyDir });
    expect(ok.problems).toEqual([]);
    expect(ok.log?.capture).toMatchObject({ seq: 1, line: 2, provenBy: { treeSize: 2 } });

    // Same package, a log without its capture entry.
    const other = join(dir, 'other.jsonl');
    const log2 = CustodyLog.open(other, { key, checkpointEvery: 2 });
    await log2.append({ type: 'alert', subject: 'a1', actor: 'crawler' });
    const missing = await verifyEvidence({ packagePath: pkg.path, logPath: other, keysDir: keyDir });
    expect(missing.ok).toBe(false);
    expect(missing.problems.map((p) => p.check)).toContain('capture-missing');
  });
});
