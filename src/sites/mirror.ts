import { checkOnionHost, isOnionHost } from './onion.js';

/**
 * Mirror URL rules: http(s) only, no credentials in the URL, a v3 onion whose checksum holds —
 * or, only when the site opts in with `allowClearnet`, a clearnet host (still fetched through
 * Tor: the opt-in changes what may be named, never how it is reached).
 * Returns undefined when the mirror is acceptable, else a message that does not echo the URL.
 */
export function checkMirrorUrl(mirror: string, allowClearnet: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(mirror);
  } catch {
    return 'not a URL (expected http://<56-character address>.onion/)';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `unsupported scheme ${url.protocol} (use http or https)`;
  if (url.username || url.password) return 'credentials in a mirror URL are not allowed (use headers with ${ENV_VAR})';
  if (isOnionHost(url.hostname)) {
    const check = checkOnionHost(url.hostname);
    return check.ok ? undefined : check.reason;
  }
  if (!allowClearnet) return 'not an .onion host: set allowClearnet: true on the site to allow a clearnet mirror (it is still fetched through Tor)';
  return undefined;
}
