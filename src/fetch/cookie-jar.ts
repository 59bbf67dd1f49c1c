import { isOnionHost } from '../sites/onion.js';

/**
 * A small in-memory cookie jar, one compartment per site id: a cookie set by one leak site is
 * never sent to another (even if both named the same host), so sites cannot link our visits.
 * Enough of RFC 6265 for session cookies and DDoS-gate tokens: host-only vs Domain cookies,
 * Path, Max-Age/Expires, Secure. Bounded per site, because the other side is hostile.
 * `toJSON()` / `CookieJar.fromJSON()` let the caller persist it between runs if it wants.
 */

export interface StoredCookie {
  name: string;
  value: string;
  /** Host (host-only) or domain (with `hostOnly: false`) the cookie belongs to. */
  domain: string;
  hostOnly: boolean;
  path: string;
  secure: boolean;
  /** Epoch ms; undefined = session cookie. */
  expiresAt: number | undefined;
}

export interface CookieJarOptions {
  /** Wall-clock epoch ms (cookie expiry is wall-clock, unlike the monotonic fetch clock). */
  now?: () => number;
  maxCookiesPerSite?: number;
  maxCookieBytes?: number;
}

export type SerializedCookieJar = Record<string, StoredCookie[]>;

function defaultPath(url: URL): string {
  const p = url.pathname;
  if (!p.startsWith('/') || p.lastIndexOf('/') === 0) return '/';
  return p.slice(0, p.lastIndexOf('/'));
}

function domainMatches(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

export class CookieJar {
  private readonly sites = new Map<string, StoredCookie[]>();
  private readonly now: () => number;
  private readonly maxPerSite: number;
  private readonly maxBytes: number;

  constructor(options: CookieJarOptions = {}) {
    this.now = options.now ?? Date.now;
    this.maxPerSite = options.maxCookiesPerSite ?? 100;
    this.maxBytes = options.maxCookieBytes ?? 4096;
  }

  /** Stores the Set-Cookie headers of a response from `url` for `siteId`. */
  store(siteId: string, url: URL, setCookie: readonly string[] | undefined): void {
    for (const header of setCookie ?? []) {
      const cookie = this.parse(url, header);
      if (cookie) this.put(siteId, cookie);
    }
  }

  /** The Cookie header value for a request to `url` on behalf of `siteId`. */
  header(siteId: string, url: URL): string | undefined {
    const list = this.live(siteId);
    const host = url.hostname.toLowerCase();
    // Onion services are end-to-end encrypted by Tor; browsers treat them as secure contexts.
    const secureChannel = url.protocol === 'https:' || isOnionHost(host);
    const matching = list
      .filter((c) => (c.hostOnly ? c.domain === host : domainMatches(host, c.domain)))
      .filter((c) => pathMatches(url.pathname || '/', c.path))
      .filter((c) => !c.secure || secureChannel)
      // RFC 6265 5.4: longer paths first.
      .sort((a, b) => b.path.length - a.path.length);
    if (matching.length === 0) return undefined;
    return matching.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  /** Cookies currently held for a site (expired ones dropped). */
  list(siteId: string): StoredCookie[] {
    return this.live(siteId).map((c) => ({ ...c }));
  }

  clear(siteId?: string): void {
    if (siteId === undefined) this.sites.clear();
    else this.sites.delete(siteId);
  }

  toJSON(): SerializedCookieJar {
    const out: SerializedCookieJar = {};
    for (const siteId of this.sites.keys()) {
      const persistent = this.live(siteId).filter((c) => c.expiresAt !== undefined);
      if (persistent.length > 0) out[siteId] = persistent;
    }
    return out;
  }

  static fromJSON(data: SerializedCookieJar, options: CookieJarOptions = {}): CookieJar {
    const jar = new CookieJar(options);
    for (const [siteId, cookies] of Object.entries(data)) for (const c of cookies) jar.put(siteId, { ...c });
    return jar;
  }

  private live(siteId: string): StoredCookie[] {
    const list = this.sites.get(siteId) ?? [];
    const now = this.now();
    const kept = list.filter((c) => c.expiresAt === undefined || c.expiresAt > now);
    if (kept.length !== list.length) this.sites.set(siteId, kept);
    return kept;
  }

  private put(siteId: string, cookie: StoredCookie): void {
    const list = this.live(siteId).filter(
      (c) => !(c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path && c.hostOnly === cookie.hostOnly),
    );
    // An already-expired cookie (Max-Age=0) is how servers delete one: drop, do not add.
    if (cookie.expiresAt === undefined || cookie.expiresAt > this.now()) list.push(cookie);
    // Oldest first out when a site floods us.
    while (list.length > this.maxPerSite) list.shift();
    this.sites.set(siteId, list);
  }

  private parse(url: URL, header: string): StoredCookie | undefined {
    if (header.length > this.maxBytes) return undefined;
    const [pair = '', ...attrs] = header.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return undefined;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (!name || /[\s;,]/.test(name)) return undefined;
    const host = url.hostname.toLowerCase();
    const cookie: StoredCookie = { name, value, domain: host, hostOnly: true, path: defaultPath(url), secure: false, expiresAt: undefined };
    let maxAgeSeen = false;
    for (const attr of attrs) {
      const i = attr.indexOf('=');
      const key = (i < 0 ? attr : attr.slice(0, i)).trim().toLowerCase();
      const val = i < 0 ? '' : attr.slice(i + 1).trim();
      if (key === 'domain' && val) {
        const domain = val.replace(/^\./, '').toLowerCase();
        // A Domain that does not cover the host, or a bare TLD ("onion"), is refused outright.
        if (!domain.includes('.') || !domainMatches(host, domain)) return undefined;
        cookie.domain = domain;
        cookie.hostOnly = false;
      } else if (key === 'path' && val.startsWith('/')) {
        cookie.path = val;
      } else if (key === 'secure') {
        cookie.secure = true;
      } else if (key === 'max-age' && /^-?\d+$/.test(val)) {
        maxAgeSeen = true;
        const seconds = Number(val);
        cookie.expiresAt = seconds <= 0 ? 0 : this.now() + seconds * 1000;
      } else if (key === 'expires' && !maxAgeSeen) {
        const at = Date.parse(val);
        if (!Number.isNaN(at)) cookie.expiresAt = at;
      }
    }
    return cookie;
  }
}
