import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/index.js';
import { CustodyLog, evidencePaths, loadCustodyKey, loadSigningKey, writeEvidencePackage } from '../../src/evidence/index.js';
import { useTempDir } from '../helpers/tmp.js';
import { FIXED_NOW, sampleCapture, sampleMatches } from './helpers.js';

const tmp = useTempDir('leakwatch-evidence-cli-');

describe('leakwatch keys', () => {
  it('init creates the keys under data/keys (folder 0700, private keys 0600) and refuses to overwrite', async () => {
    const cwd = tmp();
    const r = await run(['keys', 'init'], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    const dir = join(cwd, 'data', 'keys');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir).sort()).toEqual(['custody-log.key', 'custody-log.pub.pem', 'package-signing.key', 'package-signing.pub.pem', 'vault.key']);
    for (const f of ['custody-log.key', 'package-signing.key', 'vault.key']) expect(statSync(join(dir, f)).mode & 0o777, f).toBe(0o600);
    expect(r.stdout).toContain('BEGIN PUBLIC KEY');
    expect(r.stdout).not.toContain('PRIVATE');
    const before = readFileSync(join(dir, 'package-signing.key'));
    const again = await run(['keys', 'init'], { cwd });
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('refusing to overwrite');
    expect(readFileSync(join(dir, 'package-signing.key'))).toEqual(before);
  });

  it('export prints only public keys with SPKI fingerprints, and writes them for counsel', async () => {
    const cwd = tmp();
    await run(['keys', 'init', '--dir', 'k'], { cwd });
    const r = await run(['keys', 'export', '--dir', 'k', '--json', '--out', 'for-counsel'], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('PRIVATE');
    const { keys } = JSON.parse(r.stdout) as { keys: { role: string; algorithm: string; fingerprint: string; pem: string; noteVerifierKey?: string }[] };
    expect(keys.map((k) => [k.role, k.algorithm])).toEqual([['package-signing', 'ECDSA P-384'], ['custody-log', 'Ed25519']]);
    for (const k of keys) {
      const der = createPublicKey(k.pem).export({ format: 'der', type: 'spki' });
      expect(k.fingerprint).toBe(createHash('sha256').update(der).digest('hex'));
    }
    expect(keys[1]?.noteVerifierKey).toMatch(/^leakwatch-custody-[0-9a-f]{16}\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/);
    expect(readdirSync(join(cwd, 'for-counsel')).sort()).toEqual(['custody-log.pub.pem', 'package-signing.pub.pem', 'public-keys.json']);
    for (const f of readdirSync(join(cwd, 'for-counsel'))) expect(readFileSync(join(cwd, 'for-counsel', f), 'utf8')).not.toContain('PRIVATE');
    const text = await run(['keys', 'export', '--dir', 'k'], { cwd });
    expect(text.stdout).toContain(keys[0]?.fingerprint);
  });

  it('export without keys says how to create them', async () => {
    const r = await run(['keys', 'export'], { cwd: tmp() });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('no public keys');
  });
});

describe('leakwatch evidence verify / checkpoint', () => {
  async function setup(): Promise<{ cwd: string; pkg: string; log: string; counsel: string }> {
    const cwd = tmp();
    await run(['keys', 'init'], { cwd });
    const paths = evidencePaths(join(cwd, 'data'));
    const log = CustodyLog.open(paths.custodyLog, { key: loadCustodyKey(paths.keys), checkpointsDir: paths.checkpoints });
    const r = await writeEvidencePackage(sampleCapture(), sampleMatches(), { outDir: paths.packages, signingKey: loadSigningKey(paths.keys).privateKey, now: FIXED_NOW, custodyLog: log });
    const cp = await run(['evidence', 'checkpoint'], { cwd });
    expect(cp.exitCode, cp.stderr).toBe(0);
    expect(cp.stdout).toMatch(/checkpoint at seq 1: tree size 1/);
    // Counsel gets only the public keys.
    await run(['keys', 'export', '--out', 'counsel'], { cwd });
    return { cwd, pkg: r.path, log: paths.custodyLog, counsel: join(cwd, 'counsel') };
  }

  it('exits 0 for a valid package and log, checked with only the public keys', async () => {
    const { cwd, pkg, log, counsel } = await setup();
    const r = await run(['evidence', 'verify', pkg, '--log', log, '--keys', counsel, '--checkpoints', join(cwd, 'data', 'custody', 'checkpoints')], { cwd });
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.stdout).toContain('signature: valid');
    expect(r.stdout).toContain('matches the trusted key');
    expect(r.stdout).toMatch(/capture entry: line 1, included in checkpoint at line 2/);
    expect(r.stdout).toMatch(/VALID\n/);
  });

  it('exits 2 and lists every problem', async () => {
    const { cwd, pkg, log, counsel } = await setup();
    // Edit the first log entry: its own hash and every signed root over it disagree.
    const lines = readFileSync(log, 'utf8').split('\n');
    lines[0] = (lines[0] as string).replace('"actor":"analyst@example.org"', '"actor":"mallory"');
    writeFileSync(log, lines.join('\n'));
    const r = await run(['evidence', 'verify', pkg, '--log', log, '--keys', counsel, '--json'], { cwd });
    expect(r.exitCode).toBe(2);
    const report = JSON.parse(r.stdout) as { ok: boolean; problems: { scope: string; check: string }[] };
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => `${p.scope}/${p.check}`)).toEqual(expect.arrayContaining(['log/hash-mismatch', 'log/root-mismatch']));
    const text = await run(['evidence', 'verify', pkg, '--log', log, '--keys', counsel], { cwd });
    expect(text.stdout).toMatch(/INVALID: \d+ problem\(s\)/);
    expect(text.stdout).toContain('error [log/hash-mismatch] line 1');
  });

  it('warns when the signer is not pinned, and needs something to verify', async () => {
    const { cwd, pkg } = await setup();
    const r = await run(['evidence', 'verify', pkg], { cwd });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('warning [package/signer-unpinned]');
    const none = await run(['evidence', 'verify'], { cwd });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('nothing to verify');
    expect(existsSync(`${pkg}.tsq`)).toBe(true);
  });
});
