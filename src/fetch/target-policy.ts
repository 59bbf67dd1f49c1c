import net from 'node:net';
import { checkOnionHost, isOnionHost } from '../sites/onion.js';
import { redactUrl } from '../errors.js';
import { OnionAddressError, TargetRefusedError } from './fetch-errors.js';

/**
 * Which URLs a site's fetch may touch. Everything is reached through Tor regardless; this
 * decides what may be *named*: the site's own onion host, hosts it explicitly allows, and
 * clearnet hosts only when the site opted in (allowClearnet). Onion addresses are checksum-
 * verified here so a typo fails in microseconds instead of as Tor's 0xF6 later.
 */

export interface HostPolicyInput {
  /** Hosts (besides the start URL's) this fetch may go to, e.g. the site's other mirrors. */
  allowHosts?: readonly string[];
  /** Site opt-in: clearnet hosts may be named (still fetched through Tor). */
  allowClearnet?: boolean;
}

export class HostPolicy {
  private readonly allowed: Set<string>;
  private readonly allowClearnet: boolean;

  constructor(startUrl: URL, input: HostPolicyInput = {}) {
    this.allowed = new Set([normaliseHost(startUrl.hostname), ...(input.allowHosts ?? []).map(normaliseHost)]);
    this.allowClearnet = input.allowClearnet === true;
  }

  /** Throws unless `url` may be requested at all (scheme, credentials, onion validity). */
  checkUrl(url: URL): void {
    const shown = redactUrl(url.href);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TargetRefusedError('E_TARGET_REFUSED', `scheme ${url.protocol} is not fetched (http and https only)`, { input: shown });
    }
    if (url.username || url.password) {
      throw new TargetRefusedError('E_TARGET_REFUSED', 'credentials in URLs are not sent', { input: shown });
    }
    const host = normaliseHost(url.hostname);
    if (isOnionHost(host)) {
      const check = checkOnionHost(host);
      if (!check.ok) throw new OnionAddressError(check.reason, { input: shown });
      return;
    }
    if (!this.allowClearnet) {
      throw new TargetRefusedError('E_TARGET_REFUSED', 'not an .onion host and the site does not allow clearnet', { input: shown });
    }
    if (net.isIP(host.replace(/^\[|\]$/g, '')) !== 0) {
      // An IP literal would be sent to Tor as an address, not a name; no leak site needs one.
      throw new TargetRefusedError('E_TARGET_REFUSED', 'IP-literal hosts are not fetched', { input: shown });
    }
  }

  /** True when a redirect / sub-resource may go to this host. */
  allowsHost(hostname: string): boolean {
    const host = normaliseHost(hostname);
    if (this.allowed.has(host)) return true;
    // Another onion is still "leaving the site": only explicit allowHosts or the clearnet
    // opt-in (which widens the site to any host) let it through.
    return this.allowClearnet;
  }

  /** Throws unless following a redirect from `from` to `to` is allowed. */
  checkRedirect(from: URL, to: URL): void {
    this.checkUrl(to);
    if (!this.allowsHost(to.hostname)) {
      throw new TargetRefusedError('E_REDIRECT', `redirect leaves the site (to ${normaliseHost(to.hostname)}) and the site does not allow it`, {
        input: redactUrl(from.href),
      });
    }
  }
}

/** `new URL()` that fails with a typed, non-retryable error (and no URL credentials echoed). */
export function parseTargetUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new TargetRefusedError('E_TARGET_REFUSED', 'not a valid absolute URL', { input: redactUrl(text).slice(0, 200) });
  }
}

export function normaliseHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}
