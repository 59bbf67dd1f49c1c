import { existsSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_SCRIPT_PATH, SIM_NOW, startSimulator, type Simulator } from '../../src/sim/index.js';
import { extractListing, extractPostPage } from '../../src/sites/index.js';
import { fetchSim, pathOf } from './helpers.js';

// The JavaScript-only site: an empty shell to plain HTTP (so its definition says transport:
// browser), and the victims once the script runs — in node:vm with a two-element DOM stand-in,
// and in real Chromium when it is installed.

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 5 });
});
afterAll(() => sim.close());

/** Runs the site's app.js against the shell the way a browser would, with a minimal DOM. */
async function renderInVm(path: string): Promise<string> {
  const shell = (await fetchSim(sim.site('sim-jsonly'), path)).body.toString();
  const script = (await fetchSim(sim.site('sim-jsonly'), APP_SCRIPT_PATH)).body.toString();
  const root = { innerHTML: '' };
  const document = { title: '', getElementById: (id: string) => (id === 'root' ? root : null) };
  runInNewContext(script, { document, location: { pathname: path }, atob, TextDecoder });
  return shell.replace('<div id="root"></div>', `<div id="root">${root.innerHTML}</div>`);
}

describe('JavaScript-only site', () => {
  it('a plain HTTP GET sees an empty shell: no content, and the definition uses the browser transport', async () => {
    const def = sim.definition('sim-jsonly');
    expect(def.transport).toBe('browser');
    for (const path of ['/', sim.posts('sim-jsonly')[0]?.path ?? '']) {
      const r = await fetchSim(sim.site('sim-jsonly'), path);
      expect(r.status).toBe(200);
      for (const p of sim.posts('sim-jsonly')) expect(r.body.toString()).not.toContain(p.title);
      const out = extractListing(def, { body: r.body, url: r.url, now: SIM_NOW });
      expect(out.status).toBe('no-content');
      expect(out.status !== 'ok' && out.reason).toMatch(/transport: browser/);
    }
  });

  it('the script carries the data encoded, not as readable text', async () => {
    const js = (await fetchSim(sim.site('sim-jsonly'), APP_SCRIPT_PATH)).body.toString();
    expect(js).toContain('var DATA = "');
    for (const p of sim.posts('sim-jsonly')) expect(js).not.toContain(p.title);
  });

  it('rendered, the listing and post pages are read by the definition', async () => {
    const def = sim.definition('sim-jsonly');
    const base = sim.site('sim-jsonly').url;
    const out = extractListing(def, { body: await renderInVm('/'), url: base, now: SIM_NOW });
    if (out.status !== 'ok') throw new Error(out.reason);
    const want = sim.posts('sim-jsonly');
    expect(out.posts.map((p) => [p.title, p.url && pathOf(p.url), p.dataSizeBytes])).toEqual(want.map((p) => [p.title, p.path, p.dataSizeBytes]));
    const running = want.filter((p) => p.deadlineAt && p.deadlineAt > SIM_NOW.toISOString()).map((p) => p.deadlineAt);
    expect(out.posts.map((p) => p.deadlineAt).filter(Boolean)).toEqual(running);

    const post = want[0];
    const page = extractPostPage(def, { body: await renderInVm(post?.path ?? ''), url: new URL(post?.path ?? '', base).href });
    if (page.status !== 'ok') throw new Error(page.reason);
    expect(page.description).toBe(post?.description);
    expect(page.files.map((f) => pathOf(f.url))).toEqual(post?.files.map((f) => f.path));
    expect(post?.files[0]?.expectMatch).toBe(true);
  });

  const CHROMIUM = '/usr/bin/chromium';
  it.skipIf(!existsSync(CHROMIUM))('in real Chromium (loopback, no proxy needed) the rendered DOM yields the victims', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
        '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${sim.site('sim-jsonly').baseUrl}/`);
      await page.waitForSelector('.victim-card, .leak-page', { timeout: 15_000 });
      const out = extractListing(sim.definition('sim-jsonly'), { body: await page.content(), url: sim.site('sim-jsonly').url, now: SIM_NOW });
      expect(out.status === 'ok' && out.posts.map((p) => p.title)).toEqual(sim.posts('sim-jsonly').map((p) => p.title));
    } finally {
      await browser.close();
    }
  });
});
