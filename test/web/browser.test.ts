import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPackageEntries } from '../../src/evidence/package-reader.js';
import { chromiumArgs, DEFAULT_CHROMIUM_PATH } from '../../src/fetch/index.js';
import { AlertStore } from '../../src/store/alert-store.js';
import type { Dashboard } from '../../src/web/index.js';
import { crawledWebEnv, haveChromium, HOSTILE_TITLE, PASSWORD, USER, type WebEnv } from './dashboard-env.js';

// The dashboard end to end in real Chromium (Debian's /usr/bin/chromium through
// playwright-core), over a crawl of the simulator: sign in, open a case, acknowledge an alert,
// download the report, view evidence — and show that neither a hostile post title nor a
// captured page's own script runs. LEAKWATCH_SCREENSHOTS=1 also refreshes docs/screenshots.

if (!haveChromium) console.warn(`dashboard browser tests SKIPPED: no Chromium at ${DEFAULT_CHROMIUM_PATH} (apt-get install -y chromium)`);

const SHOTS = process.env.LEAKWATCH_SCREENSHOTS === '1' ? join(import.meta.dirname, '..', '..', 'docs', 'screenshots') : undefined;

let env: WebEnv;
let dash: Dashboard;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const requested: string[] = [];

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Small, palette PNGs: they are committed. */
async function shot(name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  const png = await page.screenshot({ type: 'png' });
  writeFileSync(join(SHOTS, `${name}.png`), await sharp(png).png({ palette: true, quality: 70, compressionLevel: 9 }).toBuffer());
}

function alertOf(pred: (a: ReturnType<AlertStore['listAlerts']>[number], s: AlertStore) => boolean) {
  const s = AlertStore.open(env.data);
  try {
    return s.listAlerts().find((a) => pred(a, s));
  } finally {
    s.close();
  }
}

describe.skipIf(!haveChromium)('dashboard in Chromium', () => {
  beforeAll(async () => {
    env = await crawledWebEnv({ browser: true });
    dash = await env.start();
    browser = await chromium.launch({ executablePath: DEFAULT_CHROMIUM_PATH, headless: true, chromiumSandbox: !isRoot(), args: chromiumArgs() });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    context.on('request', (r) => requested.push(r.url()));
    page = await context.newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  it('sends an unauthenticated visitor to the sign-in page, then signs in', async () => {
    await page.goto(`${dash.url}/cases`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name=user]', USER);
    await page.fill('input[name=password]', 'not the password');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('.error').textContent()).toContain('Wrong user name or password');
    await page.fill('input[name=user]', USER);
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL(`${dash.url}/cases`), page.click('button[type=submit]')]);
    expect(await page.locator('.who b').textContent()).toBe(USER);
    await page.goto(`${dash.url}/`);
    expect(await page.locator('h1').textContent()).toBe('Overview');
    await shot('overview');
  });

  it('opens a case: the hostile title is text, its script and handler never run', async () => {
    const a = alertOf((x, s) => s.sightings(x.id).some((g) => g.postTitle === HOSTILE_TITLE));
    expect(a).toBeDefined();
    await page.goto(`${dash.url}/cases`);
    await Promise.all([page.waitForURL(`${dash.url}/cases/${a!.caseId}`), page.click(`a[href="/cases/${a!.caseId}"] >> nth=0`)]);
    await expect.poll(() => page.getByText(HOSTILE_TITLE).count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('main img[src="x"]').count()).toBe(0);
  });

  it('acknowledges an alert (after the confirmation), recorded with the user', async () => {
    const a = alertOf((x) => x.status === 'open' && x.siteId === 'sim-jsonly') ?? alertOf((x) => x.status === 'open');
    expect(a).toBeDefined();
    await page.goto(`${dash.url}/cases/${a!.caseId}`);
    await shot('case');
    page.once('dialog', (d) => void d.accept());
    const form = page.locator(`form[action="/alerts/${a!.id}/ack"]`);
    await form.locator('input[name=note]').fill('counsel informed');
    await Promise.all([page.waitForURL(new RegExp(`/cases/${a!.caseId}#alert-${a!.id}$`)), form.locator('button').click()]);
    expect(await page.locator(`#alert-${a!.id} .acked`).textContent()).toContain(`by ${USER}`);
    expect(alertOf((x) => x.id === a!.id)).toMatchObject({ status: 'acked', ackedBy: USER, ackNote: 'counsel informed' });
  });

  it('downloads the case report; the download is in the custody log', async () => {
    const a = alertOf(() => true)!;
    await page.goto(`${dash.url}/cases/${a.caseId}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Download report (HTML)')]);
    expect(download.suggestedFilename()).toBe(`case-${a.caseId}-report.html`);
    const file = join(env.dir, 'downloaded.html');
    await download.saveAs(file);
    expect(readFileSync(file, 'utf8')).toContain(`Evidence report — case ${a.caseId}`);
    const access = env.custodyLines().map((l) => JSON.parse(l) as { type: string; actor: string; details: { what?: string } }).filter((e) => e.type === 'access');
    expect(access.at(-1)).toMatchObject({ actor: `web:${USER}`, details: { what: 'download-report' } });
  });

  it('views evidence: the screenshot from the package, the verification, and a captured page whose script does not run', async () => {
    // A package of the browser-rendered site: it has a screenshot, and its page needs its script.
    let name: string | undefined;
    for (const line of env.custodyLines()) {
      const e = JSON.parse(line) as { type: string; details: { package?: string } };
      if (e.type !== 'capture' || !e.details.package) continue;
      const entries = await readPackageEntries(join(env.data, 'evidence', e.details.package));
      const capture = JSON.parse(entries.find((x) => x.name === 'evidence/capture.json')!.data.toString('utf8')) as { siteId: string };
      if (capture.siteId === 'sim-jsonly') name = e.details.package;
    }
    expect(name, 'a sim-jsonly evidence package').toBeDefined();
    await page.goto(`${dash.url}/evidence/${name!}`);
    expect(await page.locator('main').textContent()).toContain('VALID');
    const img = page.locator('img.shot');
    await expect.poll(() => img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(100);
    await shot('evidence');

    requested.length = 0;
    await page.click('details summary:has-text("Captured page")');
    const frame = await (await page.waitForSelector('iframe.captured')).contentFrame();
    expect(frame).not.toBeNull();
    await frame!.waitForLoadState('load');
    // The captured page carries the site's own script; in the sandbox it is never even
    // requested (its CSP allows no script and no request), so it cannot run.
    const scripts = await frame!.locator('script[src]').evaluateAll((els) => els.map((e) => e.getAttribute('src') ?? ''));
    expect(scripts).toContain('/assets/app.js');
    expect(requested.some((u) => u.includes('/assets/'))).toBe(false);
    expect(env.logLines.some((l) => l.includes('/assets/'))).toBe(false);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('shows sites with their health chart and the definition test', async () => {
    await page.goto(`${dash.url}/sites`);
    await shot('sites');
    await page.click('a[href="/sites/sim-blog"]');
    expect(await page.locator('svg rect').count()).toBeGreaterThan(0);
    await shot('site');
    await page.click('text=Test definition on the latest capture');
    expect(await page.locator('.badge.b-ok').first().textContent()).toBe('ok');
  });
});
