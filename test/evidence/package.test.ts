import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildEvidencePackage, initKeys, loadCustodyKey, loadPublicKeys, loadSigningKey, parseTimestampRequest, verifyEvidence, writeEvidencePackage, type KeyPair,
} from '../../src/evidence/index.js';
import { readPackageEntries } from '../../src/evidence/package-reader.js';
import { verifyPackageEntries } from '../../src/evidence/package-verify.js';
import { buildZip } from '../../src/evidence/wacz-zip.js';
import { useTempDir } from '../helpers/tmp.js';
import { FIXED_NOW, onionHost, sampleCapture, sampleMatches, useSuiteDir } from './helpers.js';
import { wabacVerify } from './wabac.js';

const tmp = useTempDir('leakwatch-evidence-');

const suite = useSuiteDir();
let keyDir: string;
let key: KeyPair;
beforeAll(() => {
  keyDir = join(suite(), 'keys');
  initKeys(keyDir);
  key = loadSigningKey(keyDir);
});

async function writePackage(dir = tmp()): Promise<string> {
  const r = await writeEvidencePackage(sampleCapture(), sampleMatches(), { outDir: dir, signingKey: key.privateKey, now: FIXED_NOW });
  return r.path;
}

/** Rewrites a package zip with entries changed, added or removed (a forger's zip, same layout). */
async function tamper(src: string, edit: (files: Map<string, Buffer>) => void): Promise<string> {
  const files = new Map((await readPackageEntries(src)).map((e) => [e.name, e.data] as const));
  edit(files);
  const out = src.replace(/\.wacz$/, '-tampered.wacz');
  writeFileSync(out, await buildZip([...files].map(([path, data]) => ({ path, data }))));
  return out;
}

async function ours(path: string): Promise<{ ok: boolean; checks: string[] }> {
  const r = await verifyEvidence({ packagePath: path, keysDir: keyDir });
  return { ok: r.ok, checks: r.problems.filter((p) => p.severity === 'error').map((p) => p.check) };
}

describe('WACZ evidence package', () => {
  it('has exactly the evidence.md layout, STORED, with correct single SHA-256s', async () => {
    const path = await writePackage();
    const entries = await readPackageEntries(path);
    expect(entries.map((e) => e.name)).toEqual([
      'archive/capture.warc.gz', 'indexes/index.cdxj', 'pages/pages.jsonl', 'evidence/capture.json', 'evidence/match.json', 'datapackage.json', 'datapackage-digest.json',
    ]);
    expect(entries.every((e) => e.compressionMethod === 0)).toBe(true);
    const dp = JSON.parse((entries.find((e) => e.name === 'datapackage.json') as { data: Buffer }).data.toString()) as { resources: { path: string; hash: string; bytes: number }[]; extras: Record<string, unknown>; wacz_version: string };
    expect(dp.wacz_version).toBe('1.1.1');
    expect(dp.extras).toEqual({ captureId: 'cap-2025-03-04-0001', caseId: 'case-7', injunctionRef: 'NZHC 2025/123' });
    for (const r of dp.resources) {
      const data = (entries.find((e) => e.name === r.path) as { data: Buffer }).data;
      expect(r.hash).toBe(`sha256:${createHash('sha256').update(data).digest('hex')}`);
      expect(r.bytes).toBe(data.length);
    }
  });

  it('is accepted by ReplayWeb.page\'s verifier (wabac 2.26.5) and by ours', async () => {
    const path = await writePackage();
    const w = await wabacVerify(path);
    expect(w.accepted, JSON.stringify(w.rows)).toBe(true);
    expect(w.rows.find((r) => r.id === 'signature')?.matched).toBe(true);
    expect(w.rows.find((r) => r.id === 'package.waczdatapackage.json')?.matched).toBe(true);
    expect(w.rows.find((r) => r.id === 'package.waczpages/pages.jsonl')?.matched).toBe(true);
    const r = await verifyEvidence({ packagePath: path, keysDir: keyDir });
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.package?.signer).toEqual({ keyFingerprint: key.fingerprint, valid: true, pinned: true });
    expect(r.timestamps).toEqual([{ subject: path, status: 'pending' }]);
  });

  it('records the onion identity, network and headers in capture.json, and only hashes in match.json', async () => {
    const { host, publicKeyHex } = onionHost();
    const url = `http://${host}/post/1`;
    const capture = sampleCapture({ finalUrl: url, targetUrl: url, redirects: [], request: { method: 'GET', url, headers: {} } });
    // Extra fields a caller might attach by mistake must not reach the package.
    const matches = sampleMatches().map((m) => ({ ...m, sampleText: 'PATIENT NAME John Citizen' }));
    const built = await buildEvidencePackage(capture, matches, { signingKey: key.privateKey, now: FIXED_NOW, matcher: { name: 'leakwatch-matcher', version: '3' } });
    const dir = tmp();
    writeFileSync(join(dir, 'p.wacz'), built.zip);
    const entries = await readPackageEntries(join(dir, 'p.wacz'));
    const text = (name: string): string => (entries.find((e) => e.name === name) as { data: Buffer }).data.toString();
    const cj = JSON.parse(text('evidence/capture.json')) as Record<string, unknown> & { onion: { publicKeyEd25519: string; host: string }; network: Record<string, unknown>; http: Record<string, unknown>; artifacts: { role: string }[]; time: Record<string, string> };
    expect(cj.onion.publicKeyEd25519).toBe(publicKeyHex);
    expect(cj.onion.host).toBe(host);
    expect(cj.network).toEqual({ via: 'tor', transport: 'browser', socks: { host: '127.0.0.1', port: 9050 }, torVersion: '0.4.8.13', remoteIp: null });
    expect(cj.http.serverDate).toBe('Tue, 04 Mar 2025 10:00:01 GMT');
    expect(cj.http.headers).toEqual(capture.response.headers);
    expect(cj.artifacts.map((a) => a.role)).toEqual(['page', 'resource', 'screenshot', 'pdf', 'rendered-dom', 'extracted-text']);
    expect(cj.time.packagedAt).toBe(FIXED_NOW.toISOString());
    const mj = text('evidence/match.json');
    expect(mj).not.toContain('PATIENT');
    expect(JSON.parse(mj)).toMatchObject({ matcher: { name: 'leakwatch-matcher', version: '3' }, matches: [{ method: 'exact', score: 1 }, { method: 'partial', score: 0.71 }] });
    // The WARC keeps the decoded body without claiming gzip, original headers under X-Archive-Orig-*.
    const warc = gunzipSync((entries.find((e) => e.name === 'archive/capture.warc.gz') as { data: Buffer }).data).toString('latin1');
    expect(warc).toContain('X-Archive-Orig-Content-Encoding: gzip');
    expect(warc).toContain(`WARC-Target-URI: urn:view:${url}`);
    expect(warc).toContain('Set-Cookie: a=1');
    expect(warc).toContain('Set-Cookie: b=2');
  });

  it('is deterministic: the same inputs and clock give the same files and datapackage hash', async () => {
    const capture = sampleCapture();
    const a = await buildEvidencePackage(capture, sampleMatches(), { signingKey: key.privateKey, now: FIXED_NOW });
    const b = await buildEvidencePackage(capture, sampleMatches(), { signingKey: key.privateKey, now: FIXED_NOW });
    expect(b.signature.hash).toBe(a.signature.hash);
    // Everything but the (randomised ECDSA) digest file is byte-identical.
    expect(b.files.slice(0, -1)).toEqual(a.files.slice(0, -1));
    expect(a.zip.length).toBe(b.zip.length);
    const later = await buildEvidencePackage(capture, sampleMatches(), { signingKey: key.privateKey, now: new Date(FIXED_NOW.getTime() + 1000) });
    expect(later.signature.hash).not.toBe(a.signature.hash);
  });

  it('writes an RFC 3161 request over the signature beside the package, never inside it', async () => {
    const dir = tmp();
    const r = await writeEvidencePackage(sampleCapture(), sampleMatches(), { outDir: dir, signingKey: key.privateKey, now: FIXED_NOW });
    expect(r.timestampRequestPath).toBe(`${r.path}.tsq`);
    const req = parseTimestampRequest(readFileSync(r.timestampRequestPath));
    expect(req.imprint.toString('hex')).toBe(createHash('sha256').update(Buffer.from(r.signature.signature, 'base64')).digest('hex'));
    expect(req.certReq).toBe(true);
    expect(r.files.map((f) => f.path)).not.toContain(expect.stringContaining('.tsq'));
    await expect(writeEvidencePackage(sampleCapture(), sampleMatches(), { outDir: dir, signingKey: key.privateKey, now: FIXED_NOW })).rejects.toMatchObject({ code: 'E_EVIDENCE_EXISTS' });
  });

  it('rejects captures that would make a misleading package', async () => {
    await expect(buildEvidencePackage(sampleCapture({ captureId: '../x' }), [], { signingKey: key.privateKey, now: FIXED_NOW })).rejects.toMatchObject({ code: 'E_EVIDENCE_INPUT' });
    const bad = sampleMatches().map((m) => ({ ...m, sampleSha256: 'not-a-hash' }));
    await expect(buildEvidencePackage(sampleCapture(), bad, { signingKey: key.privateKey, now: FIXED_NOW })).rejects.toMatchObject({ code: 'E_EVIDENCE_INPUT' });
    const custody = loadCustodyKey(keyDir);
    await expect(buildEvidencePackage(sampleCapture(), [], { signingKey: custody.privateKey, now: FIXED_NOW })).rejects.toMatchObject({ code: 'E_KEY_MISSING' });
  });
});

describe('package tampering is detected', () => {
  let original: string;
  beforeAll(async () => {
    original = await writePackage(join(suite(), 'orig'));
  });

  const contentFiles = ['archive/capture.warc.gz', 'indexes/index.cdxj', 'pages/pages.jsonl', 'evidence/capture.json', 'evidence/match.json'];

  it.each(contentFiles)('changed %s → file-hash (ours)', async (name) => {
    const bad = await tamper(original, (f) => {
      const data = Buffer.from(f.get(name) as Buffer);
      const at = Math.floor(data.length / 2);
      data[at] = (data[at] as number) ^ 0x01;
      f.set(name, data);
    });
    const r = await ours(bad);
    expect(r.ok).toBe(false);
    expect(r.checks).toContain('file-hash');
    if (name === 'pages/pages.jsonl') {
      const w = await wabacVerify(bad);
      expect(w.accepted).toBe(false);
      expect(w.rows.find((x) => x.id === 'package.waczpages/pages.jsonl')?.matched).toBe(false);
    }
  });

  it.each(contentFiles)('removed %s → file-missing (ours)', async (name) => {
    const r = await ours(await tamper(original, (f) => f.delete(name)));
    expect(r.ok).toBe(false);
    expect(r.checks).toContain('file-missing');
  });

  it('added file → file-unlisted (ours; wabac does not check)', async () => {
    const bad = await tamper(original, (f) => f.set('archive/extra.warc.gz', Buffer.from('smuggled')));
    const r = await ours(bad);
    expect(r.checks).toEqual(['file-unlisted']);
    expect((await wabacVerify(bad)).accepted).toBe(true);
  });

  it('edited file re-listed in datapackage.json → datapackage-hash (ours and wabac)', async () => {
    const bad = await tamper(original, (f) => {
      const capture = (f.get('evidence/capture.json') as Buffer).toString().replace('analyst@example.org', 'someone-else');
      f.set('evidence/capture.json', Buffer.from(capture));
      const dp = JSON.parse((f.get('datapackage.json') as Buffer).toString()) as { resources: { path: string; hash: string; bytes: number }[] };
      for (const r of dp.resources) if (r.path === 'evidence/capture.json') Object.assign(r, { hash: `sha256:${createHash('sha256').update(capture).digest('hex')}`, bytes: Buffer.byteLength(capture) });
      f.set('datapackage.json', Buffer.from(JSON.stringify(dp, null, 2) + '\n'));
    });
    const r = await ours(bad);
    expect(r.checks).toContain('datapackage-hash');
    expect(r.checks).toContain('capture-json-warc');
    const w = await wabacVerify(bad);
    expect(w.accepted).toBe(false);
    expect(w.rows.find((x) => x.id === 'package.waczdatapackage.json')?.matched).toBe(false);
  });

  it('re-signed by another key → signer-key (ours, with the pinned key); wabac accepts any key', async () => {
    const otherDir = join(tmp(), 'other');
    initKeys(otherDir);
    const forged = await writeEvidencePackage(sampleCapture(), sampleMatches(), { outDir: tmp(), signingKey: loadSigningKey(otherDir).privateKey, now: FIXED_NOW });
    const r = await ours(forged.path);
    expect(r.checks).toEqual(['signer-key']);
    expect((await wabacVerify(forged.path)).accepted).toBe(true);
    expect(loadPublicKeys(keyDir).packageSigning).toBeDefined();
  });

  it('removed datapackage-digest.json → unsigned (ours); wabac reports no signature', async () => {
    const bad = await tamper(original, (f) => f.delete('datapackage-digest.json'));
    expect((await ours(bad)).checks).toContain('signature');
    const w = await wabacVerify(bad);
    expect(w.accepted).toBe(false);
    expect(w.rows.find((x) => x.id === 'signature')).toBeUndefined();
  });

  it('altered signature → signature (ours and wabac)', async () => {
    const bad = await tamper(original, (f) => {
      const d = JSON.parse((f.get('datapackage-digest.json') as Buffer).toString()) as { signedData: { signature: string } };
      const sig = Buffer.from(d.signedData.signature, 'base64');
      sig[10] = (sig[10] as number) ^ 0xff;
      d.signedData.signature = sig.toString('base64');
      f.set('datapackage-digest.json', Buffer.from(JSON.stringify(d)));
    });
    expect((await ours(bad)).checks).toContain('signature');
    const w = await wabacVerify(bad);
    expect(w.accepted).toBe(false);
    expect(w.rows.find((x) => x.id === 'signature')?.matched).toBe(false);
  });

  it('duplicate zip entry → zip-duplicate', async () => {
    const entries = await readPackageEntries(original);
    const out = original.replace(/\.wacz$/, '-dup.wacz');
    const dup = entries.find((e) => e.name === 'evidence/match.json') as { name: string; data: Buffer };
    writeFileSync(out, await buildZip([...entries.map((e) => ({ path: e.name, data: e.data })), { path: dup.name, data: Buffer.from('{}') }]));
    const v = await verifyPackageEntries(await readPackageEntries(out));
    expect(v.problems.map((p) => p.check)).toContain('zip-duplicate');
  });

  it('hostile capture.json / match.json (wrong types) are reported, not a crash', async () => {
    const bad = await tamper(original, (f) => {
      f.set('evidence/capture.json', Buffer.from(JSON.stringify({ schema: 'leakwatch.capture/1', captureId: 'x', artifacts: 5 })));
      f.set('evidence/match.json', Buffer.from(JSON.stringify({ schema: 'leakwatch.match/1', captureId: 'x', matches: [null] })));
    });
    const r = await ours(bad);
    expect(r.ok).toBe(false);
    expect(r.checks).toEqual(expect.arrayContaining(['file-hash', 'capture-json', 'match-json']));
    expect(r.checks).not.toContain('zip');
  });

  it('the untouched package still verifies', async () => {
    expect(existsSync(original)).toBe(true);
    expect(await ours(original)).toEqual({ ok: true, checks: [] });
  });
});
