import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/index.js';
import { escapeHtml } from '../../src/report/html.js';
import { AlertStore } from '../../src/store/alert-store.js';
import { startDashboard, verifyPassword, type Dashboard } from '../../src/web/index.js';
import { CAPTURED_PAGE_CSP, DASHBOARD_CSP } from '../../src/web/security-headers.js';
import { Client, crawledWebEnv, HOSTILE_TITLE, PASSWORD, USER, type WebEnv } from './dashboard-env.js';

// The dashboard over HTTP, against a real crawl of the simulator: authentication, CSRF,
// security headers, escaping of hostile leak-site text, the custody log of every evidence
// access, and each page's content checked against the database it reads.

let env: WebEnv;
let dash: Dashboard;
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function alerts(): ReturnType<AlertStore['listAlerts']> {
  const s = AlertStore.open(env.data);
  try {
    return s.listAlerts();
  } finally {
    s.close();
  }
}

/** The alert whose sighting carries the hostile title, and its case. */
function hostileCase(): { caseId: number; alertId: number } {
  const s = AlertStore.open(env.data);
  try {
    const a = s.listAlerts().find((x) => s.sightings(x.id).some((g) => g.postTitle === HOSTILE_TITLE));
    if (!a) throw new Error('the hostile post did not raise an alert');
    return { caseId: a.caseId, alertId: a.id };
  } finally {
    s.close();
  }
}

async function signedIn(): Promise<Client> {
  const c = new Client(dash.url);
  const r = await c.login();
  expect(r.status).toBe(303);
  return c;
}

beforeAll(async () => {
  env = await crawledWebEnv({ browser: false });
  dash = await env.start();
}, 240_000);

afterAll(async () => {
  await env?.close();
});

describe('authentication', () => {
  it('without a session, pages redirect to the login and actions get 401 and change nothing', async () => {
    const c = new Client(dash.url);
    const { caseId, alertId } = hostileCase();
    const before = env.custodyLines().length;
    for (const path of ['/', `/cases/${caseId}`, '/evidence', '/sites', `/cases/${caseId}/report.html`]) {
      const r = await c.get(path);
      expect(r.status, path).toBe(303);
      expect(r.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    const pkg = readFileSync(join(env.data, 'custody', 'custody.jsonl'), 'utf8').match(/"package":"([^"]+\.wacz)"/)?.[1];
    expect(pkg).toBeDefined();
    expect((await c.get(`/evidence/${pkg!}/download`)).status).toBe(303);
    const ack = await c.post(`/alerts/${alertId}/ack`, { csrf: 'x', note: 'n' });
    expect(ack.status).toBe(401);
    expect(alerts().find((a) => a.id === alertId)?.status).toBe('open');
    expect(env.custodyLines().length).toBe(before);
  });

  it('a wrong password is refused; a right one gives an HttpOnly, SameSite=Strict session cookie', async () => {
    const c = new Client(dash.url);
    const bad = await c.login(USER, 'wrong password');
    expect(bad.status).toBe(401);
    expect(await bad.text()).toContain('Wrong user name or password');
    expect(c.cookie).toBe('');
    const ok = await c.login();
    expect(ok.status).toBe(303);
    const set = ok.headers.get('set-cookie') ?? '';
    expect(set).toMatch(/^lw_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    const home = await c.get('/');
    expect(home.status).toBe(200);
    expect(await home.text()).toContain(`signed in as <b>${USER}</b>`);
  });

  it('throttles repeated failed logins (429), even with the right password afterwards', async () => {
    const strict = await env.start({ loginLimit: { maxAttempts: 3, windowMs: 60_000 } });
    const c = new Client(strict.url);
    for (let i = 0; i < 3; i++) expect((await c.login(USER, `guess ${i}`)).status).toBe(401);
    const r = await c.login();
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(c.cookie).toBe('');
  });

  it('logging out ends the session', async () => {
    const c = await signedIn();
    const csrf = Client.csrf(await (await c.get('/')).text());
    const cookie = c.cookie;
    expect((await c.post('/logout', { csrf })).status).toBe(303);
    c.cookie = cookie;
    expect((await c.get('/')).status).toBe(303);
  });

  it('refuses requests for another Host name (DNS rebinding)', async () => {
    const c = await signedIn();
    // fetch() will not send a foreign Host header: node:http will.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${dash.url}/`, { headers: { host: `attacker.example:${dash.port}`, cookie: c.cookie } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
    expect((await c.get('/')).status).toBe(200);
  });

  it('refuses a non-loopback bind without authentication, before binding anything', async () => {
    const o = env.options({ host: '0.0.0.0', web: { ...env.options().web, users: [] } });
    await expect(startDashboard(o)).rejects.toMatchObject({ code: 'E_CONFIG' });
  });

  it('signs in the single user "local" on loopback when no users are configured', async () => {
    const local = await env.start({ web: { ...env.options().web, users: [] } });
    const r = await new Client(local.url).get('/');
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('signed in as <b>local</b>');
  });

  it('reverse-proxy mode takes the user from the header, only from a trusted proxy address', async () => {
    const web = env.options().web;
    const proxied = await env.start({ web: { ...web, users: [], proxyAuth: { header: 'X-Forwarded-User', trustedProxies: ['127.0.0.1', '::1'] } } });
    const c = new Client(proxied.url);
    expect((await c.get('/')).status).toBe(401);
    const r = await c.get('/', { 'x-forwarded-user': 'bob@example.org' });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('signed in as <b>bob@example.org</b>');
    const elsewhere = await env.start({ web: { ...web, proxyAuth: { header: 'X-Forwarded-User', trustedProxies: ['192.0.2.7'] } } });
    expect((await new Client(elsewhere.url).get('/', { 'x-forwarded-user': 'bob' })).status).toBe(403);
  });

  it('leakwatch serve starts on the configured data and stops on the abort signal', async () => {
    const stop = new AbortController();
    let printed = '';
    let announced: (url: string) => void = () => undefined;
    const url = new Promise<string>((resolve) => (announced = resolve));
    const done = run(['serve', '--config', env.crawl.configFile, '--port', '0'], {
      cwd: env.dir, env: env.crawl.env, signal: stop.signal,
      out: (t) => {
        printed += t;
        const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(printed);
        if (m) announced(m[1] as string);
      },
      err: () => undefined,
    });
    const base = await url;
    expect(printed).toContain('password sign-in');
    expect((await new Client(base).get('/')).status).toBe(303);
    stop.abort();
    expect((await done).exitCode).toBe(0);
    await expect(fetch(`${base}/`)).rejects.toThrow();
  });

  it('web hash-password reads stdin and prints a hash the config accepts', async () => {
    const r = await run(['web', 'hash-password'], { cwd: env.dir, env: env.crawl.env, stdin: Readable.from([Buffer.from(`${PASSWORD}\n`)]) });
    expect(r.exitCode, r.stderr).toBe(0);
    const hash = r.stdout.trim();
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword(PASSWORD, hash)).toBe(true);
    expect(await verifyPassword(`${PASSWORD}x`, hash)).toBe(false);
    const short = await run(['web', 'hash-password'], { cwd: env.dir, env: env.crawl.env, stdin: Readable.from([Buffer.from('short\n')]) });
    expect(short.exitCode).toBe(2);
  });
});

describe('pages and actions', () => {
  it('sends the strict CSP and the other security headers on every page', async () => {
    const c = await signedIn();
    for (const path of ['/', '/cases', '/evidence', '/sites', '/login']) {
      const r = await c.get(path);
      expect(r.headers.get('content-security-policy'), path).toBe(DASHBOARD_CSP);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      const html = await r.text();
      expect(html).not.toMatch(/<script(?![^>]*src="\/static\/dashboard\.js")/);
      // No event-handler or style attribute in any tag (escaped leak-site text has no tags).
      expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
      expect(html).not.toMatch(/<[a-z][^>]*\sstyle\s*=/i);
    }
  });

  it('shows the case with the hostile title escaped, its documents and why they matched', async () => {
    const c = await signedIn();
    const { caseId } = hostileCase();
    const overview = await (await c.get('/')).text();
    expect(overview).toContain(`href="/cases/${caseId}"`);
    const r = await c.get(`/cases/${caseId}`);
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain(escapeHtml(HOSTILE_TITLE));
    expect(html).not.toContain('<script>window.__pwned');
    expect(html).not.toContain('<img src=x');
    const s = AlertStore.open(env.data);
    try {
      for (const a of s.listAlerts({ caseId })) for (const d of s.alertDetail(a.id)?.documents ?? []) {
        expect(html).toContain(escapeHtml(d.document));
        expect(html).toContain(escapeHtml(d.explanation));
      }
    } finally {
      s.close();
    }
    expect(html).toMatch(/identical file|same text|near-duplicate text|shared passages|same image/);
    expect(html).not.toContain('records exposed');
  });

  it('acknowledges an alert only with the session\'s CSRF token', async () => {
    const c = await signedIn();
    const { caseId, alertId } = hostileCase();
    const page = await (await c.get(`/cases/${caseId}`)).text();
    const csrf = Client.csrf(page);
    expect((await c.post(`/alerts/${alertId}/ack`, { note: 'no token' })).status).toBe(403);
    expect((await c.post(`/alerts/${alertId}/ack`, { csrf: `${csrf.slice(0, -2)}xx`, note: 'forged' })).status).toBe(403);
    const other = await signedIn();
    expect((await other.post(`/alerts/${alertId}/ack`, { csrf, note: 'token of another session' })).status).toBe(403);
    expect((await c.post(`/alerts/${alertId}/ack`, { csrf, note: 'x' }, { origin: 'http://attacker.example' })).status).toBe(403);
    expect(alerts().find((a) => a.id === alertId)?.status).toBe('open');
    const ok = await c.post(`/alerts/${alertId}/ack`, { csrf, note: 'takedown requested' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/cases/${caseId}#alert-${alertId}`);
    expect(alerts().find((a) => a.id === alertId)).toMatchObject({ status: 'acked', ackedBy: USER, ackNote: 'takedown requested' });
  });

  it('downloads the case report and records the download in the custody log', async () => {
    const c = await signedIn();
    const { caseId } = hostileCase();
    const r = await c.get(`/cases/${caseId}/report.html`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="case-${caseId}-report.html"`);
    expect(r.headers.get('content-security-policy')).toMatch(/^sandbox;/);
    const body = Buffer.from(await r.arrayBuffer());
    expect(body.toString('utf8')).toContain(escapeHtml(HOSTILE_TITLE));
    const last = JSON.parse(env.custodyLines().filter((l) => !l.includes('"type":"checkpoint"')).at(-1)!) as { type: string; subject: string; actor: string; details: Record<string, unknown> };
    expect(last).toMatchObject({ type: 'access', subject: sha256(body), actor: `web:${USER}`, details: { what: 'download-report', caseId, format: 'html' } });
  });

  it('shows an evidence package with its verification and custody entries; views and downloads are logged', async () => {
    const c = await signedIn();
    const list = await (await c.get('/evidence')).text();
    const name = /href="\/evidence\/([^"/]+\.wacz)"/.exec(list)?.[1];
    expect(name).toBeDefined();
    const file = readFileSync(join(env.data, 'evidence', name!));
    const before = env.custodyLines().length;
    const html = await (await c.get(`/evidence/${name!}`)).text();
    expect(html).toContain('VALID');
    expect(html).toContain(sha256(file));
    expect(html).toContain('capture.json');
    expect(html).toMatch(/<td>\d+<\/td><td><time[^>]*>[^<]+<\/time><\/td><td>capture<\/td>/);
    const dl = await c.get(`/evidence/${name!}/download`);
    expect(Buffer.from(await dl.arrayBuffer()).equals(file)).toBe(true);
    const framed = await c.get(`/evidence/${name!}/page`);
    expect(framed.status).toBe(200);
    expect(framed.headers.get('content-security-policy')).toBe(CAPTURED_PAGE_CSP);
    await framed.arrayBuffer();
    const added = env.custodyLines().slice(before).map((l) => JSON.parse(l) as { type: string; subject: string; actor: string; details: { what?: string } }).filter((e) => e.type === 'access');
    expect(added.map((e) => e.details.what)).toEqual(['view-package', 'download-package', 'view-page']);
    for (const e of added) expect(e).toMatchObject({ subject: sha256(file), actor: `web:${USER}` });
    const v = await run(['evidence', 'verify', join(env.data, 'evidence', name!), '--log', join(env.data, 'custody', 'custody.jsonl'), '--keys', join(env.data, 'keys')], { cwd: env.dir, env: env.crawl.env });
    expect(v.exitCode, v.stdout).toBe(0);
    expect((await c.get('/evidence/..%2Fkeys%2Fcustody-log.key/download')).status).toBe(404);
  });

  it('shows sites with a health chart, their posts, and what the definition extracts from the latest capture', async () => {
    const c = await signedIn();
    const sites = await (await c.get('/sites')).text();
    expect(sites).toContain('href="/sites/sim-blog"');
    const site = await (await c.get('/sites/sim-blog')).text();
    expect(site).toContain('<svg');
    expect(site).toMatch(/\d+ of \d+ checks up/);
    const posts = env.crawl.sim.posts('sim-blog');
    for (const p of posts) expect(site.includes(escapeHtml(p.title)) || posts.indexOf(p) >= 10).toBe(true);
    const test = await (await c.get('/sites/sim-blog/test')).text();
    expect(test).toContain('outcome <span class="badge b-ok">ok</span>');
    for (const p of posts) expect(test).toContain(escapeHtml(p.title));
    expect(test).not.toContain('<script>window.__pwned');
  });
});
