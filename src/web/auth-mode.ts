import type { WebSettings } from '../config/schema.js';
import { FatalError } from '../errors.js';
import { isLoopbackHost } from './request.js';

/**
 * Who may use the dashboard, decided once at start:
 *  - `proxy`: a reverse proxy authenticates (SSO) and names the user in a header; only
 *    connections from its addresses are served at all.
 *  - `users`: users from `web.users[]` log in with a password (scrypt hashes).
 *  - `local`: no users configured and bound to loopback only: everyone who can reach the
 *    port is already on this machine, so a single user "local" is signed in automatically.
 * A non-loopback bind without users or proxyAuth refuses to start.
 */

export type AuthMode =
  | { kind: 'proxy'; header: string; trustedProxies: ReadonlySet<string> }
  | { kind: 'users'; users: ReadonlyMap<string, string> }
  | { kind: 'local' };

export const LOCAL_USER = 'local';

export function authModeOf(web: Pick<WebSettings, 'users' | 'proxyAuth'>, host: string): AuthMode {
  if (web.proxyAuth) return { kind: 'proxy', header: web.proxyAuth.header.toLowerCase(), trustedProxies: new Set(web.proxyAuth.trustedProxies) };
  if (web.users.length > 0) return { kind: 'users', users: new Map(web.users.map((u) => [u.name, u.passwordHash])) };
  if (isLoopbackHost(host)) return { kind: 'local' };
  throw new FatalError(
    'E_CONFIG',
    `refusing to serve on ${host} without authentication: add web.users (see "leakwatch web hash-password") or web.proxyAuth to the config, or bind to 127.0.0.1`,
  );
}

/** Names a proxy header may carry: no controls, no markup, bounded. */
export const PROXY_USER_RE = /^[A-Za-z0-9._@+-]{1,128}$/;
