import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/index.js';
import { readPackageEntries } from '../../src/evidence/package-reader.js';
import { DEFAULT_CHROMIUM_PATH } from '../../src/fetch/index.js';
import { escapeHtml } from '../../src/report/html.js';
import { startCrawlEnv, type CrawlEnv } from '../helpers/crawl-env.js';
import { pdfText, squash } from './pdf-text.js';
import { expectSelfContained } from './self-contained.js';

// `leakwatch report` on real cases: the simulator's leak sites are crawled (keys first, so
// signed packages and a custody log exist), one post carrying a hostile title republishes a
// stolen file, and the report of each case is checked against what the crawl stored.

const haveChromium = existsSync(DEFAULT_CHROMIUM_PATH);
if (!haveChromium) console.warn(`report PDF/screenshot tests SKIPPED: no Chromium at ${DEFAULT_CHROMIUM_PATH} (apt-get install -y chromium)`);

const HOSTILE_TITLE = 'Evil Corp <img src=x onerror=alert(1)> Ltd';
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

interface CaseJson {
  id: number;
  sites: string[];
  timeline: { siteId: string; mirrorUrl: string; postTitle: string | null; sampleUrl: string }[];
  exposed: { document: string; documentSha256: string }[];
}

let dir: string;
let env: CrawlEnv | undefined;
const lw = (...args: string[]) => run(args, { cwd: env!.dir, env: env!.env });
const data = (): string => join(env!.dir, 'data');

async function caseJson(id: number): Promise<CaseJson> {
  const r = await lw('cases', 'show', String(id), '--data', 'data', '--json');
  expect(r.exitCode, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { case: CaseJson }).case;
}

async function allCases(): Promise<CaseJson[]> {
  const list = JSON.parse((await lw('cases', 'list', '--data', 'data', '--json')).stdout) as { cases: { id: number }[] };
  return Promise.all(list.cases.map((c) => caseJson(c.id)));
}

/** Packages whose signed match.json names one of the case's documents, with their SHA-256. */
async function packagesOf(c: CaseJson): Promise<{ file: string; sha256: string }[]> {
  const docs = new Set(c.exposed.map((d) => d.documentSha256));
  const out: { file: string; sha256: string }[] = [];
  const folder = join(data(), 'evidence');
  for (const name of readdirSync(folder).filter((n) => n.endsWith('.wacz'))) {
    const entries = await readPackageEntries(join(folder, name));
    const match = JSON.parse(entries.find((e) => e.name === 'evidence/match.json')!.data.toString('utf8')) as { matches: { documentSha256: string }[] };
    if (match.matches.some((m) => docs.has(m.documentSha256))) out.push({ file: name, sha256: sha256(readFileSync(join(folder, name))) });
  }
  return out;
}

function custodyEntries(): { type: string; subject: string; details: Record<string, unknown> }[] {
  return readFileSync(join(data(), 'custody', 'custody.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; subject: string; details: Record<string, unknown> });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'leakwatch-report-'));
  const sites = haveChromium ? ['sim-blog', 'sim-jsonly'] : ['sim-blog'];
  env = await startCrawlEnv(dir, { siteIds: sites });
  // The same stolen file again, under a post whose title is markup: a second sighting (and
  // package) of that file's alert, so the hostile title lands in a real case's timeline.
  const stolen = env.sim.posts('sim-blog').flatMap((p) => p.files).find((f) => f.expectMatch && f.source.kind === 'stolen');
  if (!stolen) throw new Error('the simulator published no stolen file');
  env.sim.addPost('sim-blog', { title: HOSTILE_TITLE, files: [{ name: stolen.name, source: stolen.source }] });
  expect((await lw('keys', 'init', '--data-dir', 'data')).exitCode).toBe(0);
  const crawl = await lw('crawl', '--config', env.configFile, ...sites.flatMap((s) => ['--site', s]), '--json');
  expect(crawl.exitCode, crawl.stderr).toBe(0);
}, 240_000);

afterAll(async () => {
  await env?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('leakwatch report', () => {
  it('writes a self-contained HTML report of a crawled case, and logs the export', async () => {
    const cases = await allCases();
    const c = cases.find((x) => x.timeline.some((t) => t.postTitle === HOSTILE_TITLE));
    expect(c, 'the hostile post joined a case').toBeDefined();
    const r = await lw('report', '--case', String(c!.id), '--format', 'html', '--data', 'data');
    expect(r.exitCode, r.stderr).toBe(0);
    const file = join(env!.dir, `case-${c!.id}-report.html`);
    const bytes = readFileSync(file);
    expect(r.stdout).toContain(file);
    expect(r.stdout).toContain(`sha256 ${sha256(bytes)}`);
    const html = bytes.toString('utf8');
    expectSelfContained(html);

    // Where and what: site, onion mirror, every matched document, every package's SHA-256 —
    // and no package of another case.
    const $ = load(html);
    expect($('#timeline').text()).toContain('sim-blog');
    for (const t of c!.timeline) expect($('#timeline').text()).toContain(t.mirrorUrl);
    expect(c!.timeline[0]!.mirrorUrl).toMatch(/^http:\/\/[a-z2-7]{56}\.onion\/$/);
    for (const d of c!.exposed) expect($('#exposed').text()).toContain(d.document);
    const mine = await packagesOf(c!);
    expect(mine.length).toBe(2);
    for (const p of mine) {
      expect($('#packages').text()).toContain(p.sha256);
      expect($('#verify').text()).toContain(`${p.sha256}  ${p.file}`);
    }
    const others = (await Promise.all(cases.filter((x) => x.id !== c!.id).map(packagesOf))).flat();
    expect(others.length).toBeGreaterThan(0);
    for (const p of others) expect(html).not.toContain(p.sha256);
    expect($('#packages').text()).toContain('verified');
    expect($('#packages').text()).not.toContain('PROBLEMS FOUND');
    expect($('#screenshots').text()).toContain('captured as HTML');

    // The hostile title is shown as text and never becomes markup.
    expect(html).toContain(escapeHtml(HOSTILE_TITLE));
    expect(html).not.toContain('<img src=x');
    expect($('#timeline').text()).toContain(HOSTILE_TITLE);

    expect($('#verify h2').text()).toBe('5. How to verify this independently');
    for (const s of ['leakwatch evidence verify', 'sha256sum -c', 'ReplayWeb.page']) expect($('#verify').text()).toContain(s);
    for (const p of ['[COURT]', '[INJUNCTION REF]', '[HOSTING PROVIDER]']) expect($('#notice').text()).toContain(p);

    // The export is in the custody log, which still verifies as a whole.
    const last = custodyEntries().filter((e) => e.type !== 'checkpoint').at(-1)!;
    expect(last).toMatchObject({ type: 'export', subject: sha256(bytes), details: { what: 'report', caseId: c!.id, format: 'html' } });
    expect((last.details.packages as string[]).sort()).toEqual(mine.map((p) => p.sha256).sort());
    const v = await lw('evidence', 'verify', '--log', join(data(), 'custody', 'custody.jsonl'), '--keys', join(data(), 'keys'));
    expect(v.exitCode, v.stdout).toBe(0);

    // An existing report is never replaced silently.
    const again = await lw('report', '--case', String(c!.id), '--format', 'html', '--data', 'data');
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('--force');
  });

  it('exits 2 for an unknown case and lists the known ones', async () => {
    const ids = (await allCases()).map((c) => c.id).sort((a, b) => a - b);
    const r = await lw('report', '--case', '999', '--format', 'html', '--data', 'data');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('no case 999');
    expect(r.stderr).toContain(`known cases: ${ids.join(', ')}`);
    expect(existsSync(join(env!.dir, 'case-999-report.html'))).toBe(false);
  });

  it('says so when a package was changed or removed since it was written', async () => {
    const c = (await allCases()).find((x) => x.timeline.some((t) => t.postTitle === HOSTILE_TITLE))!;
    const [changed, removed] = await packagesOf(c);
    // On a copy of the data folder: the other tests keep the intact evidence.
    const copy = join(dir, 'tampered');
    cpSync(data(), copy, { recursive: true });
    const file = join(copy, 'evidence', changed!.file);
    const zip = readFileSync(file);
    const at = zip.indexOf('"url"');
    expect(at).toBeGreaterThan(0);
    zip[at + 10] = zip[at + 10] === 0x78 ? 0x79 : 0x78;
    writeFileSync(file, zip);
    unlinkSync(join(copy, 'evidence', removed!.file));
    const out = join(dir, 'out', 'tampered.html');
    const r = await lw('report', '--case', String(c.id), '--format', 'html', '--data', copy, '--out', out);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('2 of 2 evidence package(s) did not verify');
    const $ = load(readFileSync(out, 'utf8'));
    const text = $('#packages').text();
    expect(text).toContain(`${changed!.file} — PROBLEMS FOUND`);
    expect(text).toContain(`the file's SHA-256 differs from the one recorded when it was written (${changed!.sha256})`);
    expect(text).toContain('[package/file-hash]');
    expect(text).toContain(`${removed!.file} — MISSING`);
    expect(text).toContain(removed!.sha256);
  });

  it.skipIf(!haveChromium)('prints the PDF with Chromium: its text has the case, a matched document and a package SHA-256', async () => {
    const c = (await allCases()).find((x) => x.sites.includes('sim-blog') && x.exposed.length > 1) ?? (await allCases())[0]!;
    const out = join(dir, 'out', 'report.pdf');
    const r = await lw('report', '--case', String(c.id), '--format', 'pdf', '--data', 'data', '--out', out);
    expect(r.exitCode, r.stderr).toBe(0);
    const pdf = readFileSync(out);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(r.stdout).toContain(`sha256 ${sha256(pdf)}`);
    const text = await pdfText(pdf);
    expect(text).toContain(`Evidence report — case ${c.id}`);
    const flat = squash(text);
    expect(flat).toContain(squash(c.exposed[0]!.document));
    const [pkg] = await packagesOf(c);
    expect(flat).toContain(pkg!.sha256);
    expect(flat).toContain('[INJUNCTIONREF]');
    expect(custodyEntries().filter((e) => e.type === 'export').at(-1)).toMatchObject({ subject: sha256(pdf), details: { format: 'pdf', file: 'report.pdf' } });
  });

  it.skipIf(!haveChromium)('embeds the screenshot of a page the browser captured', async () => {
    const c = (await allCases()).find((x) => x.sites.includes('sim-jsonly'));
    expect(c).toBeDefined();
    const out = join(dir, 'out', 'jsonly.html');
    expect((await lw('report', '--case', String(c!.id), '--format', 'html', '--data', 'data', '--out', out)).exitCode).toBe(0);
    const $ = load(readFileSync(out, 'utf8'));
    const src = $('#screenshots img.shot').attr('src') ?? '';
    expect(src.startsWith('data:image/png;base64,')).toBe(true);
    const png = Buffer.from(src.slice('data:image/png;base64,'.length), 'base64');
    // The embedded image is the stored screenshot blob, named by the SHA-256 the report states.
    expect($('#screenshots').text()).toContain(sha256(png));
    expect(existsSync(join(data(), 'blobs', sha256(png).slice(0, 2), sha256(png)))).toBe(true);
  });
});
