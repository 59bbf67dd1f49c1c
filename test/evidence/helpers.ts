import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { Capture, MatchRecord } from '../../src/evidence/index.js';

/** Shared fixtures for the evidence tests: a plausible onion capture, matches, a clock. */

const B32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = ((value << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

/** A valid v3 onion host and the Ed25519 key it encodes. */
export function onionHost(): { host: string; publicKeyHex: string } {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  const version = Buffer.from([3]);
  const checksum = createHash('sha3-256').update('.onion checksum').update(raw).update(version).digest().subarray(0, 2);
  return { host: `${base32(Buffer.concat([raw, checksum, version]))}.onion`, publicKeyHex: raw.toString('hex') };
}

/** A tiny valid PNG (1×1), enough for a screenshot record. */
export const PNG_1PX = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cf000000020001e221bc330000000049454e44ae426082', 'hex');

export const FIXED_NOW = new Date('2025-03-04T10:20:30.000Z');

export function fixedClock(start = FIXED_NOW, stepMs = 1000): () => Date {
  let t = start.getTime();
  return () => {
    const d = new Date(t);
    t += stepMs;
    return d;
  };
}

export function sampleCapture(overrides: Partial<Capture> = {}): Capture {
  const { host } = onionHost();
  const url = `http://${host}/victims/clinic-42`;
  const html = '<!doctype html><html><head><title>Clinic 42 — data published</title></head><body><h1>Clinic 42</h1><a href="/files/sample.zip">sample</a></body></html>';
  return {
    captureId: 'cap-2025-03-04-0001',
    caseId: 'case-7',
    injunctionRef: 'NZHC 2025/123',
    siteId: 'examplegang',
    mirror: host,
    targetUrl: `http://${host}/victims/clinic-42?ref=1`,
    finalUrl: url,
    redirects: [`http://${host}/victims/clinic-42?ref=1`],
    transport: 'browser',
    socks: { host: '127.0.0.1', port: 9050 },
    torVersion: '0.4.8.13',
    startedAt: new Date('2025-03-04T10:00:00.000Z'),
    finishedAt: new Date('2025-03-04T10:00:07.500Z'),
    request: { method: 'GET', url, headers: { 'User-Agent': 'Mozilla/5.0 (leakwatch test)', Accept: 'text/html' } },
    response: {
      status: 200,
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Encoding': 'gzip', 'Content-Length': '97', Date: 'Tue, 04 Mar 2025 10:00:01 GMT', 'Set-Cookie': ['a=1', 'b=2'] },
      body: Buffer.from(html, 'utf8'),
    },
    resources: [
      {
        request: { method: 'GET', url: `http://${host}/style.css`, headers: {} },
        response: { status: 200, headers: { 'Content-Type': 'text/css' }, body: Buffer.from('body{color:red}') },
      },
    ],
    screenshotPng: PNG_1PX,
    pagePdf: Buffer.from('%PDF-1.4\n% fake but distinct\n%%EOF\n'),
    renderedDom: html.replace('</body>', '<script>/* rendered */</script></body>'),
    extractedText: 'Clinic 42\nsample',
    tool: { name: 'leakwatch', version: '0.1.0', gitCommit: 'abc1234', browser: 'Chromium 131', userAgent: 'Mozilla/5.0 (leakwatch test)', viewport: { width: 1280, height: 800 } },
    operator: 'analyst@example.org',
    ...overrides,
  };
}

export function sampleMatches(): MatchRecord[] {
  const h = (s: string): string => createHash('sha256').update(s).digest('hex');
  return [
    { sampleUrl: 'http://x.onion/files/sample.zip', sampleSha256: h('sample'), sampleBytes: 1234, set: 'clinic', document: 'letters/0001.pdf', documentSha256: h('doc1'), method: 'exact', score: 1 },
    { sampleUrl: 'http://x.onion/files/sample.zip', sampleSha256: h('sample'), sampleBytes: 1234, set: 'clinic', document: 'labs/0042.docx', documentSha256: h('doc2'), method: 'partial', score: 0.71 },
  ];
}

/** A temp folder for a whole describe block (useTempDir's folders go after each test). */
export function useSuiteDir(prefix = 'leakwatch-evidence-suite-'): () => string {
  let dir: string | undefined;
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => (dir ??= mkdtempSync(join(tmpdir(), prefix)));
}
