import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/index.js';
import {
  CustodyLog, evidencePaths, initKeys, loadCustodyKey, loadSigningKey, verifyTimestampReply, writeEvidencePackage,
} from '../../src/evidence/index.js';
import { readPackageEntries } from '../../src/evidence/package-reader.js';
import { buildZip } from '../../src/evidence/wacz-zip.js';
import { useTempDir } from '../helpers/tmp.js';
import { FIXED_NOW, sampleCapture, sampleMatches, useSuiteDir } from './helpers.js';
import { makeCa, startLocalTsa, type LocalTsa } from './tsa.js';

const tmp = useTempDir('leakwatch-tsa-');
const suite = useSuiteDir();
let tsa: LocalTsa;
beforeAll(async () => {
  tsa = await startLocalTsa(join(suite(), 'tsa'));
});
afterAll(async () => {
  await tsa.close();
});

/** A data folder with keys, one package and a custody log with a checkpoint. */
async function setup(): Promise<{ dataDir: string; pkg: string }> {
  const dataDir = join(tmp(), 'data');
  const paths = evidencePaths(dataDir);
  initKeys(paths.keys);
  const log = CustodyLog.open(paths.custodyLog, { key: loadCustodyKey(paths.keys), checkpointsDir: paths.checkpoints, checkpointEvery: 1 });
  const r = await writeEvidencePackage(sampleCapture(), sampleMatches(), { outDir: paths.packages, signingKey: loadSigningKey(paths.keys).privateKey, now: FIXED_NOW, custodyLog: log });
  return { dataDir, pkg: r.path };
}

/** The bytes a package's request stamps: the raw signature from datapackage-digest.json, as a file. */
async function signatureOf(pkg: string, dir: string): Promise<string> {
  const digest = (await readPackageEntries(pkg)).find((e) => e.name === 'datapackage-digest.json');
  const sig = Buffer.from((JSON.parse(String(digest?.data)) as { signedData: { signature: string } }).signedData.signature, 'base64');
  const out = join(dir, 'sig.bin');
  writeFileSync(out, sig);
  return out;
}

describe('RFC 3161 trusted time (local openssl TSA on loopback)', () => {
  it('stamps pending package and checkpoint requests, keeps verified replies, and verify reports them', async () => {
    const { dataDir, pkg } = await setup();
    const r = await run(['evidence', 'timestamp', '--tsa-url', tsa.url, '--tsa-cert', tsa.caCert, '--data-dir', dataDir, '--json'], { cwd: tmp() });
    expect(r.exitCode, r.stderr).toBe(0);
    const outcomes = (JSON.parse(r.stdout) as { outcomes: { request: string; status: string; genTime?: string }[] }).outcomes;
    expect(outcomes.length).toBeGreaterThanOrEqual(2);
    expect(outcomes.every((o) => o.status === 'stamped')).toBe(true);
    expect(existsSync(`${pkg}.tsr`)).toBe(true);
    const checkpoints = readdirSync(evidencePaths(dataDir).checkpoints);
    expect(checkpoints.filter((n) => n.endsWith('.note.tsr')).length).toBeGreaterThanOrEqual(1);

    // Nothing left to do on a second run.
    const again = await run(['evidence', 'timestamp', '--tsa-url', tsa.url, '--tsa-cert', tsa.caCert, '--data-dir', dataDir], { cwd: tmp() });
    expect(again.stdout).toContain('no pending time-stamp requests');

    const paths = evidencePaths(dataDir);
    const v = await run(['evidence', 'verify', pkg, '--log', paths.custodyLog, '--keys', paths.keys, '--checkpoints', paths.checkpoints, '--tsa-cert', tsa.caCert, '--json'], { cwd: tmp() });
    expect(v.exitCode, v.stdout).toBe(0);
    const report = JSON.parse(v.stdout) as { timestamps: { subject: string; status: string; genTime?: string; tsa?: string; pinned?: boolean }[] };
    const mine = report.timestamps.find((t) => t.subject === pkg);
    expect(mine).toMatchObject({ status: 'verified', pinned: true, tsa: 'CN=leakwatch test TSA, O=Test' });
    expect(Date.parse(mine?.genTime ?? '')).not.toBeNaN();
    expect(report.timestamps.filter((t) => t.status === 'verified').length).toBe(report.timestamps.length);

    // OpenSSL agrees with our verification of the same reply.
    const sig = await signatureOf(pkg, tmp());
    const ok = execFileSync('openssl', ['ts', '-verify', '-data', sig, '-in', `${pkg}.tsr`, '-CAfile', tsa.caCert], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    expect(ok).toContain('Verification: OK');
  });

  it('rejects a replayed reply (nonce/imprint of another request) and keeps nothing', async () => {
    const { dataDir, pkg } = await setup();
    tsa.mode = 'replay';
    try {
      // Prime the TSA's "first" reply with another request, then replay it for ours.
      await run(['evidence', 'timestamp', '--tsa-url', tsa.url, '--tsa-cert', tsa.caCert, '--dir', join(dataDir, 'custody'), '--data-dir', dataDir], { cwd: tmp() });
      const r = await run(['evidence', 'timestamp', '--tsa-url', tsa.url, '--tsa-cert', tsa.caCert, '--data-dir', dataDir, '--json'], { cwd: tmp() });
      expect(r.exitCode).toBe(2);
      const outcome = (JSON.parse(r.stdout) as { outcomes: { request: string; status: string; problems: string[] }[] }).outcomes.find((o) => o.request === `${pkg}.tsq`);
      expect(outcome?.status).toBe('rejected');
      expect(outcome?.problems.join(' ')).toMatch(/imprint|nonce/);
      expect(existsSync(`${pkg}.tsr`)).toBe(false);
    } finally {
      tsa.mode = 'normal';
    }
  });

  it('rejects a reply that does not chain to the pinned certificate', async () => {
    const { dataDir, pkg } = await setup();
    const other = makeCa(join(tmp(), 'other-ca'), 'other');
    const r = await run(['evidence', 'timestamp', '--tsa-url', tsa.url, '--tsa-cert', other.cert, '--data-dir', dataDir, '--json'], { cwd: tmp() });
    expect(r.exitCode).toBe(2);
    const outcome = (JSON.parse(r.stdout) as { outcomes: { request: string; status: string; problems: string[] }[] }).outcomes.find((o) => o.request === `${pkg}.tsq`);
    expect(outcome).toMatchObject({ status: 'rejected' });
    expect(outcome?.problems.join(' ')).toMatch(/certificate/i);
  });

  it('detects a tampered reply and a reply for other data', async () => {
    const { dataDir, pkg } = await setup();
    await run(['evidence', 'timestamp', '--tsa-url', tsa.url, '--tsa-cert', tsa.caCert, '--data-dir', dataDir], { cwd: tmp() });
    const reply = readFileSync(`${pkg}.tsr`);
    const request = readFileSync(`${pkg}.tsq`);
    const sig = readFileSync(await signatureOf(pkg, tmp()));
    const trustedPem = readFileSync(tsa.caCert, 'utf8');
    expect((await verifyTimestampReply({ reply, request, data: sig, trustedPem })).ok).toBe(true);
    const otherData = await verifyTimestampReply({ reply, request, data: Buffer.from('other'), trustedPem });
    expect(otherData.ok).toBe(false);
    expect(otherData.problems.join(' ')).toContain('imprint');
    const bad = Buffer.from(reply);
    bad[bad.length - 10] = (bad[bad.length - 10] as number) ^ 0x55; // inside the CMS signature value
    const tampered = await verifyTimestampReply({ reply: bad, request, data: sig, trustedPem });
    expect(tampered.ok).toBe(false);
    writeFileSync(`${pkg}.tsr`, bad);
    const paths = evidencePaths(dataDir);
    const v = await run(['evidence', 'verify', pkg, '--keys', paths.keys, '--tsa-cert', tsa.caCert], { cwd: tmp() });
    expect(v.exitCode).toBe(2);
    expect(v.stdout).toContain('[timestamp/timestamp]');
  });

  it('does not obtain a timestamp for a package that fails verification', async () => {
    const { dataDir, pkg } = await setup();
    const entries = await readPackageEntries(pkg);
    const changed = entries.map((e) => ({ path: e.name, data: e.name === 'evidence/match.json' ? Buffer.from('{}') : e.data }));
    writeFileSync(pkg, await buildZip(changed));
    const before = tsa.requests;
    const r = await run(['evidence', 'timestamp', '--tsa-url', tsa.url, '--tsa-cert', tsa.caCert, '--dir', join(dataDir, 'evidence'), '--json'], { cwd: tmp() });
    expect(r.exitCode).toBe(2);
    const outcome = (JSON.parse(r.stdout) as { outcomes: { status: string; problems: string[] }[] }).outcomes[0];
    expect(outcome?.status).toBe('failed');
    expect(outcome?.problems.join(' ')).toContain('file-hash');
    expect(tsa.requests).toBe(before);
    expect(existsSync(`${pkg}.tsr`)).toBe(false);
  });

  it('needs a TSA URL and a pinned certificate', async () => {
    const r = await run(['evidence', 'timestamp', '--data-dir', tmp()], { cwd: tmp(), env: {} });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--tsa-url');
    const r2 = await run(['evidence', 'timestamp', '--tsa-url', tsa.url, '--data-dir', tmp()], { cwd: tmp(), env: {} });
    expect(r2.stderr).toContain('--tsa-cert');
  });
});
