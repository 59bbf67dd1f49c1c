import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { load } from 'cheerio';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CHROMIUM_PATH } from '../../src/fetch/index.js';
import { buildReport, renderPdf, type ReportData } from '../../src/report/index.js';
import { escapeHtml } from '../../src/report/html.js';
import { pdfText } from './pdf-text.js';
import { expectSelfContained } from './self-contained.js';

// buildReport is pure: these tests feed it hand-made data full of attacker-chosen strings and
// check that each one can only ever come out as text. renderPdf is checked to neither run
// scripts nor fetch anything.

const haveChromium = existsSync(DEFAULT_CHROMIUM_PATH);
if (!haveChromium) console.warn(`report PDF tests SKIPPED: no Chromium at ${DEFAULT_CHROMIUM_PATH} (apt-get install -y chromium)`);

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

const HOSTILE_TITLE = 'Evil Corp <img src=x onerror=alert(1)> Ltd';
const HOSTILE_URL = 'http://abc.onion/p?"><script>alert(2)</script>';
const BIDI_NAME = 'invoice\u202Efdp.exe';
const MIRROR = 'http://qzpn5zbrkeq7dlpdrefh7qzjjmkzw4rasa3pbhh67npfwbjpmjismvqd.onion/';
const H = (c: string): string => c.repeat(64);

function fixture(): ReportData {
  const appearance = {
    alertId: 7, siteId: 'evil<site>', severity: 'critical' as const, status: 'open' as const, mirrorUrl: MIRROR, postTitle: HOSTILE_TITLE, postUrl: HOSTILE_URL,
    sampleUrl: `${MIRROR}files/${BIDI_NAME}`, sampleSha256: H('a'), firstSeenAt: '2024-06-01T12:00:00.000Z', lastSeenAt: '2024-06-02T08:30:00.000Z', seenCount: 3, packages: ['capture-1-s1.wacz'],
  };
  return {
    caseId: 3, requestedCaseId: 3, mergedFrom: [], generatedAt: '2024-06-03T09:00:00.000Z', tool: { name: 'leakwatch', version: '0.1.0' }, severity: 'critical',
    openedAt: appearance.firstSeenAt, firstSeenAt: appearance.firstSeenAt, lastSeenAt: appearance.lastSeenAt, sites: ['evil<site>'],
    keys: [{ role: 'package-signing', algorithm: 'ECDSA P-384', fingerprint: H('f') }, { role: 'custody-log', algorithm: 'Ed25519', fingerprint: H('e') }],
    timeline: [appearance],
    exposed: [{ set: 'clinic', document: 'patients/<b>PT1</b>/letter.pdf', documentSha256: H('d'), appearances: 1, sites: ['evil<site>'], bestMethod: 'exact', bestScore: 1, firstSeenAt: appearance.firstSeenAt, lastSeenAt: appearance.lastSeenAt, kind: 'PDF' }],
    samples: [{
      alertId: 7, siteId: 'evil<site>', severity: 'critical', url: appearance.sampleUrl, sha256: H('a'), bytes: 2048, type: 'zip', firstSeenAt: appearance.firstSeenAt, lastSeenAt: appearance.lastSeenAt,
      matches: [{ set: 'clinic', document: 'patients/<b>PT1</b>/letter.pdf', documentSha256: H('d'), memberPath: `x.zip!/${BIDI_NAME}`, memberSha256: H('d'), method: 'exact', score: 1, explanation: 'byte-for-byte identical', details: { exact: { sha256: H('d') }, text: { scope: 'whole' } } }],
    }],
    packages: [{
      fileName: 'capture-1-s1.wacz', siteId: 'evil<site>', sha256: H('c'), recordedSha256: H('c'), recordedAt: appearance.firstSeenAt, bytes: 9000, missing: false, captureId: '1-s1',
      pageUrl: HOSTILE_URL, capturedAt: appearance.firstSeenAt, signedAt: appearance.firstSeenAt, sampleUrls: [appearance.sampleUrl], signature: { keyFingerprint: H('f'), valid: true, pinned: true },
      filesChecked: 5, filesMatching: 5, timestamp: { status: 'pending' }, custody: { seq: 1, line: 2, provenBy: { source: 'signed head', treeSize: 3 } }, ok: true, problems: [],
    }],
    captures: [
      { captureId: 1, siteId: 'evil<site>', kind: 'post', url: HOSTILE_URL, finalUrl: HOSTILE_URL, fetchedAt: appearance.firstSeenAt, transport: 'browser', status: 200, bodySha256: H('b'), bodyBytes: 100, contentType: 'text/html', screenshot: { sha256: sha(PNG), bytes: PNG.length, png: PNG }, sampleUrls: [appearance.sampleUrl], packages: ['capture-1-s1.wacz'] },
      { captureId: 2, siteId: 'evil<site>', kind: 'listing', url: MIRROR, finalUrl: MIRROR, fetchedAt: appearance.firstSeenAt, transport: 'http', status: 200, bodySha256: H('9'), bodyBytes: 100, contentType: 'text/html', sampleUrls: [appearance.sampleUrl], packages: [] },
    ],
    custodyLog: { entries: 3, checkpoints: 0, headTreeSize: 3, ok: true, problems: [] },
    notes: ['a note with <i>markup</i>'],
  };
}

describe('buildReport', () => {
  it('renders every leak-site string as text: no script, no handler, no external reference', () => {
    const out = buildReport(fixture());
    expectSelfContained(out);
    expect(out).toContain(escapeHtml(HOSTILE_TITLE));
    expect(out).toContain('Evil Corp &lt;img src=x onerror=alert(1)&gt; Ltd');
    expect(out).not.toContain('<img src=x');
    expect(out).not.toContain('<b>PT1</b>');
    const $ = load(out);
    // What a reader sees is exactly what the site published…
    expect($('#timeline').text()).toContain(HOSTILE_TITLE);
    expect($('#timeline').text()).toContain(HOSTILE_URL);
    // …except that a right-to-left override cannot disguise a file name.
    expect(out).not.toContain('\u202E');
    expect($('#exposed').text()).toContain('invoice\uFFFDfdp.exe');
    expect($('img')).toHaveLength(1);
  });

  it('embeds screenshots as data: URIs and says when a page was captured as HTML only', () => {
    const out = buildReport(fixture());
    const $ = load(out);
    const src = $('img.shot').attr('src') ?? '';
    expect(src.startsWith('data:image/png;base64,')).toBe(true);
    expect(Buffer.from(src.slice('data:image/png;base64,'.length), 'base64').equals(PNG)).toBe(true);
    expect($('#screenshots').text()).toContain(sha(PNG));
    expect($('#screenshots').text()).toContain('captured as HTML');
  });

  it('has the verification section and a draft notice with marked placeholders, and is deterministic', () => {
    const d = fixture();
    const out = buildReport(d);
    const $ = load(out);
    expect($('#verify').text()).toContain(`leakwatch evidence verify capture-1-s1.wacz --keys counsel-keys/ --log custody.jsonl`);
    expect($('#verify').text()).toContain(`${H('c')}  capture-1-s1.wacz`);
    expect($('#verify').text()).toContain(H('f'));
    expect($('#verify').text()).toContain('ReplayWeb.page');
    for (const p of ['COURT', 'INJUNCTION REF', 'HOSTING PROVIDER']) expect($('#notice mark.ph').text()).toContain(`[${p}]`);
    // Document names can identify patients: the notice (sent to third parties) names hashes only.
    expect($('#notice').text()).toContain(H('d'));
    expect($('#notice').text()).not.toContain('PT1');
    expect(buildReport(fixture())).toBe(out);
  });
});

describe.skipIf(!haveChromium)('renderPdf', () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  it('prints local HTML with JavaScript off and every network request blocked', async () => {
    const hits: string[] = [];
    server = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('x');
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const html = `<!DOCTYPE html><html><head><link rel="stylesheet" href="${base}/style.css"><style>@import url("${base}/import.css");</style></head>
<body><p id="x">static text stays</p><img src="${base}/pixel.png"><iframe src="${base}/frame"></iframe>
<script>document.getElementById('x').textContent = 'SCRIPT RAN'; fetch('${base}/fetch');</script></body></html>`;
    const pdf = await renderPdf(html, { executablePath: DEFAULT_CHROMIUM_PATH });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(pdf);
    expect(text).toContain('static text stays');
    expect(text).not.toContain('SCRIPT RAN');
    expect(hits).toEqual([]);
  });

  it('stops when aborted', async () => {
    const ctl = new AbortController();
    ctl.abort();
    await expect(renderPdf('<p>x</p>', { executablePath: DEFAULT_CHROMIUM_PATH, signal: ctl.signal })).rejects.toMatchObject({ code: 'E_ABORTED' });
  });
});
