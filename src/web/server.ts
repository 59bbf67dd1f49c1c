import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LeakwatchConfig } from '../config/index.js';
import type { WebSettings } from '../config/schema.js';
import { errorCode, errorMessage, LeakwatchError } from '../errors.js';
import { AlertStore } from '../store/alert-store.js';
import { authModeOf, LOCAL_USER, PROXY_USER_RE, type AuthMode } from './auth-mode.js';
import type { Reply, WebContext, WebRequest } from './context.js';
import { clearedSessionCookie, parseCookies, SESSION_COOKIE, sessionCookie } from './cookies.js';
import { AccessRecorder } from './custody-access.js';
import { errorPage } from './pages/errors.js';
import { loginPage, safeNext } from './pages/login.js';
import { DUMMY_HASH, verifyPassword } from './password.js';
import { LoginLimiter } from './rate-limit.js';
import { isLoopbackHost, normaliseAddress, readForm } from './request.js';
import { ROUTES } from './routes.js';
import { setSecurityHeaders } from './security-headers.js';
import { csrfMatches, SessionStore, type Session } from './sessions.js';

/**
 * `leakwatch serve`: node:http, server-rendered pages. Order of checks for every request:
 * security headers → Host (DNS rebinding) → static files → login/logout → authentication
 * (401 or a redirect to /login; nothing runs) → for POST, the form and its CSRF token → route.
 */

export interface DashboardOptions {
  config: LeakwatchConfig;
  web: WebSettings;
  /** Overrides web.host / web.port (the CLI's --host / --port); port 0 = any free port. */
  host?: string;
  port?: number;
  clock?: () => Date;
  tsaCertPath?: string;
  chromiumPath?: string;
  /** One line per request and per server error. */
  log?: (line: string) => void;
  /** Login throttling; default 5 failures per 15 minutes per address and per user name. */
  loginLimit?: { maxAttempts: number; windowMs: number };
}

export interface Dashboard {
  url: string;
  port: number;
  mode: AuthMode['kind'];
  close(): Promise<void>;
}

const STATIC: Record<string, { file: string; type: string }> = {
  '/static/dashboard.css': { file: 'dashboard.css', type: 'text/css; charset=utf-8' },
  '/static/dashboard.js': { file: 'dashboard.js', type: 'text/javascript; charset=utf-8' },
};

function loadStatic(): Map<string, { type: string; body: Buffer }> {
  return new Map(Object.entries(STATIC).map(([path, s]) => [path, { type: s.type, body: readFileSync(new URL(`./static/${s.file}`, import.meta.url)) }]));
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply.kind === 'redirect') {
    res.writeHead(303, { Location: reply.location }).end();
  } else if (reply.kind === 'html') {
    res.writeHead(reply.status ?? 200, { 'Content-Type': 'text/html; charset=utf-8' }).end(reply.body);
  } else {
    if (reply.csp) setSecurityHeaders(res, reply.csp);
    const headers: Record<string, string | number> = { 'Content-Type': reply.contentType, 'Content-Length': reply.body.length };
    if (reply.downloadName) headers['Content-Disposition'] = `attachment; filename="${reply.downloadName.replace(/[^A-Za-z0-9._-]/g, '_')}"`;
    res.writeHead(reply.status ?? 200, headers).end(reply.body);
  }
}

export async function startDashboard(o: DashboardOptions): Promise<Dashboard> {
  const host = o.host ?? o.web.host;
  const mode = authModeOf(o.web, host);
  const clock = o.clock ?? (() => new Date());
  const store = AlertStore.open(o.config.dataDir);
  const stop = new AbortController();
  const ctx: WebContext = {
    config: o.config, web: o.web, dataDir: o.config.dataDir, store, access: new AccessRecorder(o.config.dataDir, clock), clock, signal: stop.signal,
    ...(o.tsaCertPath ? { tsaCertPath: o.tsaCertPath } : {}), ...(o.chromiumPath ? { chromiumPath: o.chromiumPath } : {}),
  };
  const statics = loadStatic();
  const sessions = new SessionStore(o.web.sessionIdleMs, clock);
  const limiter = new LoginLimiter(o.loginLimit ?? { maxAttempts: 5, windowMs: 15 * 60_000 }, clock);
  const secure = o.web.secureCookies;
  const log = o.log ?? (() => undefined);
  let allowedHosts: Set<string> | undefined;

  const setSession = (res: ServerResponse, s: Session): void => {
    res.setHeader('Set-Cookie', sessionCookie(s.id, secure));
  };

  /** The session of this request, or the reply that refuses it. */
  const authenticate = (req: IncomingMessage, res: ServerResponse, url: URL): Session | Reply => {
    const cookie = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    if (mode.kind === 'proxy') {
      const from = normaliseAddress(req.socket.remoteAddress);
      if (!mode.trustedProxies.has(from)) return errorPage(403, 'Forbidden', 'This dashboard is only served through its authenticating proxy.');
      const name = req.headers[mode.header];
      if (typeof name !== 'string' || !PROXY_USER_RE.test(name)) return errorPage(401, 'Not signed in', 'The proxy did not name a signed-in user.');
      const s = sessions.get(cookie);
      if (s && s.user === name) return s;
      const fresh = sessions.create(name);
      setSession(res, fresh);
      return fresh;
    }
    const s = sessions.get(cookie);
    if (s) return s;
    if (mode.kind === 'local') {
      const fresh = sessions.create(LOCAL_USER);
      setSession(res, fresh);
      return fresh;
    }
    if (req.method === 'GET') return { kind: 'redirect', location: `/login?next=${encodeURIComponent(url.pathname)}` };
    return errorPage(401, 'Not signed in', 'Sign in first.');
  };

  const login = async (req: IncomingMessage, res: ServerResponse): Promise<Reply> => {
    const form = await readForm(req);
    const user = (form.get('user') ?? '').slice(0, 64);
    const next = safeNext(form.get('next'));
    const keys = [`addr:${normaliseAddress(req.socket.remoteAddress)}`, `user:${user}`];
    const wait = Math.max(...keys.map((k) => limiter.retryAfterMs(k)));
    if (wait > 0) {
      res.setHeader('Retry-After', Math.ceil(wait / 1000));
      return { kind: 'html', status: 429, body: loginPage({ next, error: `Too many failed sign-ins: try again in ${Math.ceil(wait / 60_000)} minute(s).` }) };
    }
    const hash = mode.kind === 'users' ? mode.users.get(user) : undefined;
    // Unknown users cost the same scrypt as known ones, so timing does not reveal names.
    const ok = (await verifyPassword(form.get('password') ?? '', hash ?? DUMMY_HASH)) && hash !== undefined;
    if (!ok) {
      for (const k of keys) limiter.fail(k);
      log(`web: failed sign-in for "${user.replace(/[^\x20-\x7e]/g, '?')}" from ${keys[0] as string}`);
      return { kind: 'html', status: 401, body: loginPage({ next, error: 'Wrong user name or password.' }) };
    }
    for (const k of keys) limiter.succeed(k);
    const old = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    if (old) sessions.destroy(old);
    setSession(res, sessions.create(user));
    return { kind: 'redirect', location: next };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<Reply | undefined> => {
    setSecurityHeaders(res);
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    const method = req.method ?? 'GET';
    // A loopback dashboard answers only to its own names: a DNS-rebinding page cannot use it.
    if (allowedHosts && !allowedHosts.has((req.headers.host ?? '').toLowerCase())) return errorPage(421, 'Wrong host', 'This dashboard answers only on its loopback address.');
    if (method !== 'GET' && method !== 'POST') return errorPage(405, 'Method not allowed', 'Only GET and POST.');
    const asset = statics.get(url.pathname);
    if (asset && method === 'GET') {
      res.setHeader('Cache-Control', 'no-cache');
      return { kind: 'bytes', contentType: asset.type, body: asset.body };
    }
    // Defence in depth beside the CSRF token: a POST naming another origin is refused. With
    // Referrer-Policy no-referrer browsers send "Origin: null" for our own forms, so null
    // says nothing and is left to the token.
    const origin = req.headers.origin;
    if (method === 'POST' && mode.kind !== 'proxy' && origin !== undefined && origin !== 'null' && origin !== `http${secure ? 's' : ''}://${req.headers.host ?? ''}`) {
      return errorPage(403, 'Forbidden', 'Cross-origin form submission refused.');
    }
    if (url.pathname === '/login') {
      if (mode.kind !== 'users') return { kind: 'redirect', location: '/' };
      if (method === 'POST') return login(req, res);
      return { kind: 'html', body: loginPage({ next: safeNext(url.searchParams.get('next')) }) };
    }
    const auth = authenticate(req, res, url);
    if (!('user' in auth)) return auth;
    const session = auth;
    const user = { name: session.user, csrfToken: session.csrfToken, canLogout: mode.kind === 'users' };
    let form: URLSearchParams | undefined;
    if (method === 'POST') {
      form = await readForm(req);
      if (!csrfMatches(session, form.get('csrf') ?? undefined)) return errorPage(403, 'Forbidden', 'The form was stale or forged (CSRF token missing or wrong); nothing was changed. Reload the page and try again.');
      if (url.pathname === '/logout') {
        sessions.destroy(session.id);
        res.setHeader('Set-Cookie', clearedSessionCookie(secure));
        return { kind: 'redirect', location: mode.kind === 'users' ? '/login' : '/' };
      }
    }
    for (const route of ROUTES) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(url.pathname);
      if (!m) continue;
      const r: WebRequest = { req, res, url, params: m.slice(1).map((p) => decodeURIComponent(p)), user, session, ...(form ? { form } : {}) };
      return route.handler(ctx, r);
    }
    return errorPage(404, 'Not found', 'No such page.');
  };

  const server: Server = createServer((req, res) => {
    handle(req, res)
      .then((reply) => {
        if (reply && !res.headersSent) send(res, reply);
        log(`web: ${req.method ?? '?'} ${(req.url ?? '').split('?')[0] ?? ''} ${res.statusCode}`);
      })
      .catch((err: unknown) => {
        const code = errorCode(err);
        const known = err instanceof LeakwatchError;
        const status = code === 'E_KEY_MISSING' || code.startsWith('E_CUSTODY') ? 503 : code === 'E_USAGE' || code === 'E_TOO_LARGE' ? 400 : 500;
        log(`web: ${req.method ?? '?'} ${(req.url ?? '').split('?')[0] ?? ''} failed: ${code} ${errorMessage(err)}`);
        if (res.headersSent) {
          res.destroy();
          return;
        }
        send(res, errorPage(status, status === 500 ? 'Internal error' : 'Cannot do that', known ? errorMessage(err) : 'Something went wrong; the server log has the details.'));
      });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? o.web.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  if (isLoopbackHost(host) && mode.kind !== 'proxy') {
    allowedHosts = new Set([host, 'localhost', '127.0.0.1', '[::1]'].map((h) => `${h.includes(':') && !h.startsWith('[') ? `[${h}]` : h}:${port}`));
  }
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    mode: mode.kind,
    close: async () => {
      stop.abort(new Error('dashboard stopped'));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      store.close();
    },
  };
}
