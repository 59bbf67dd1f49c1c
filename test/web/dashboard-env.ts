import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { run } from '../../src/cli/index.js';
import { DEFAULT_CHROMIUM_PATH } from '../../src/fetch/index.js';
import { hashPassword, loadWebSettings, startDashboard, type Dashboard, type DashboardOptions } from '../../src/web/index.js';
import { startCrawlEnv, type CrawlEnv } from '../helpers/crawl-env.js';

/**
 * A crawled data folder for the dashboard tests: evidence keys, then a real crawl of the
 * simulator (sim-blog, plus the browser-rendered sim-jsonly when Chromium is installed, for
 * screenshots), with one stolen file republished under a hostile, markup-laden title. The
 * config has one dashboard user, alice.
 */

export const haveChromium = existsSync(DEFAULT_CHROMIUM_PATH);
export const USER = 'alice';
export const PASSWORD = 'correct horse battery staple';
export const HOSTILE_TITLE = 'Evil Corp <script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> Ltd';

export interface WebEnv {
  dir: string;
  crawl: CrawlEnv;
  data: string;
  options(overrides?: Partial<DashboardOptions>): DashboardOptions;
  start(overrides?: Partial<DashboardOptions>): Promise<Dashboard>;
  logLines: string[];
  custodyLines(): string[];
  close(): Promise<void>;
}

export async function crawledWebEnv(opts: { browser: boolean }): Promise<WebEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'leakwatch-web-'));
  const sites = opts.browser && haveChromium ? ['sim-blog', 'sim-jsonly'] : ['sim-blog'];
  const hash = await hashPassword(PASSWORD);
  const crawl = await startCrawlEnv(dir, { siteIds: sites, extraConfig: `web: { users: [{ name: ${USER}, passwordHash: "${hash}" }] }` });
  const stolen = crawl.sim.posts('sim-blog').flatMap((p) => p.files).find((f) => f.expectMatch && f.source.kind === 'stolen');
  if (!stolen) throw new Error('the simulator published no stolen file');
  crawl.sim.addPost('sim-blog', { title: HOSTILE_TITLE, files: [{ name: stolen.name, source: stolen.source }] });
  const lw = (...args: string[]) => run(args, { cwd: dir, env: crawl.env });
  expect((await lw('keys', 'init', '--data-dir', 'data')).exitCode).toBe(0);
  const r = await lw('crawl', '--config', crawl.configFile, ...sites.flatMap((s) => ['--site', s]), '--json');
  expect(r.exitCode, r.stderr).toBe(0);
  const loaded = loadWebSettings(crawl.configFile, crawl.env);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const logLines: string[] = [];
  const started: Dashboard[] = [];
  const data = join(dir, 'data');
  const options = (overrides: Partial<DashboardOptions> = {}): DashboardOptions => ({
    config: loaded.config, web: loaded.web, port: 0, log: (l) => logLines.push(l), ...(haveChromium ? { chromiumPath: DEFAULT_CHROMIUM_PATH } : {}), ...overrides,
  });
  return {
    dir, crawl, data, logLines, options,
    start: async (overrides) => {
      const d = await startDashboard(options(overrides));
      started.push(d);
      return d;
    },
    custodyLines: () => readFileSync(join(data, 'custody', 'custody.jsonl'), 'utf8').trim().split('\n'),
    close: async () => {
      for (const d of started) await d.close();
      await crawl.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A minimal cookie-keeping client over fetch (redirects are not followed). */
export class Client {
  cookie = '';
  constructor(readonly base: string) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.keep(await fetch(this.base + path, { redirect: 'manual', headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...headers } }));
  }

  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.keep(
      await fetch(this.base + path, {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams(form).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(this.cookie ? { cookie: this.cookie } : {}), ...headers },
      }),
    );
  }

  async login(user = USER, password = PASSWORD): Promise<Response> {
    return this.post('/login', { user, password, next: '/' });
  }

  /** The CSRF token printed in a page's forms. */
  static csrf(html: string): string {
    const m = /name="csrf" value="([^"]+)"/.exec(html);
    if (!m) throw new Error('no CSRF token on the page');
    return m[1] as string;
  }

  private keep(res: Response): Response {
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0] ?? '';
    return res;
  }
}
