import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

/**
 * In-process leak detector for a crawl run in this process (`run([...])` or the library):
 *  - every DNS API of node:dns (callback, promises and Resolver forms) is wrapped: a lookup of
 *    anything but an IP literal or `localhost` is recorded and *refused* (ENOTFOUND), so even
 *    a failing check leaks nothing — an .onion name looked up locally would otherwise go to
 *    the system resolver;
 *  - net.Socket.prototype.connect is wrapped: every outgoing TCP connection (http, https, the
 *    SOCKS client, the browser relay's upstream, undici) is recorded with its destination.
 * A test then asserts no lookup happened and every connection went to Tor's SOCKS port.
 * Limits: worker threads and child processes (Chromium) have their own runtimes; Chromium is
 * covered by its flags (local DNS mapped to NOTFOUND, proxy only) and by the onion gate,
 * which proves the site was only ever reached through the onion host's tor.
 */

/**
 * Marks a socket the harness itself opens in this process (the onion gate's connection to
 * the simulator): not the crawler's, so not a leak. Marked per socket, never per port, so a
 * crawler connecting to the same place would still be caught.
 */
const HARNESS_SOCKET = Symbol.for('leakwatch.tor-network.harness-socket');

export function harnessSocket(): net.Socket {
  const socket = new net.Socket();
  (socket as unknown as Record<symbol, boolean>)[HARNESS_SOCKET] = true;
  return socket;
}

export interface LookupRecord {
  api: string;
  host: string;
}

export interface ConnectRecord {
  host: string;
  port: number | undefined;
  path: string | undefined;
}

export interface LeakMonitor {
  readonly lookups: LookupRecord[];
  readonly connections: ConnectRecord[];
  /**
   * Every lookup, and every connection not to Tor on loopback: its SOCKS port, or its control
   * port when one is given (leakwatch reads the bootstrap phase and sends NEWNYM there; no site
   * traffic can pass through it). What would be a leak.
   */
  leaks(socksPort: number, controlPort?: number): string[];
  stop(): void;
}

const CALLBACK_APIS = [
  'lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname', 'resolveMx',
  'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt', 'reverse',
] as const;

function harmless(host: unknown): boolean {
  return typeof host !== 'string' || host === 'localhost' || net.isIP(host) !== 0;
}

function refusal(host: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`leak monitor: local DNS lookup of ${host} refused`);
  err.code = 'ENOTFOUND';
  return err;
}

type AnyFn = (...args: unknown[]) => unknown;

/** Replaces obj[key] and returns a function that restores it. */
function patch(obj: object, key: string, make: (original: AnyFn) => AnyFn): () => void {
  const target = obj as Record<string, unknown>;
  const original = target[key];
  if (typeof original !== 'function') return () => undefined;
  target[key] = make(original as AnyFn);
  return () => {
    target[key] = original;
  };
}

function destinationOf(args: unknown[]): ConnectRecord {
  // Socket#connect(options[, cb]) | (port[, host][, cb]) | (path[, cb]) | ([options, cb]) from net.connect.
  let a0 = args[0];
  if (Array.isArray(a0)) a0 = a0[0];
  if (a0 && typeof a0 === 'object') {
    const o = a0 as { host?: string; port?: number | string; path?: string | null };
    // http passes its request options, where `path` is the URL path (or null), not a socket.
    if (typeof o.path === 'string' && o.port === undefined) return { host: '', port: undefined, path: o.path };
    return { host: o.host ?? 'localhost', port: o.port === undefined ? undefined : Number(o.port), path: undefined };
  }
  if (typeof a0 === 'number' || (typeof a0 === 'string' && /^\d+$/.test(a0))) {
    return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number(a0), path: undefined };
  }
  return { host: '', port: undefined, path: typeof a0 === 'string' ? a0 : undefined };
}

export function startLeakMonitor(): LeakMonitor {
  const lookups: LookupRecord[] = [];
  const connections: ConnectRecord[] = [];
  const restore: (() => void)[] = [];

  const callbackForm = (api: string) => (original: AnyFn) =>
    function (this: unknown, ...args: unknown[]): unknown {
      const host = args[0];
      if (harmless(host)) return original.apply(this, args);
      lookups.push({ api, host: String(host) });
      const cb = args[args.length - 1];
      if (typeof cb === 'function') process.nextTick(() => (cb as (e: Error) => void)(refusal(String(host))));
      return undefined;
    };
  const promiseForm = (api: string) => (original: AnyFn) =>
    function (this: unknown, ...args: unknown[]): unknown {
      const host = args[0];
      if (harmless(host)) return original.apply(this, args);
      lookups.push({ api, host: String(host) });
      return Promise.reject(refusal(String(host)));
    };

  for (const api of CALLBACK_APIS) {
    restore.push(patch(dns, api, callbackForm(`dns.${api}`)));
    restore.push(patch(dns.Resolver.prototype, api, callbackForm(`Resolver.${api}`)));
    restore.push(patch(dns.promises, api, promiseForm(`dns.promises.${api}`)));
    restore.push(patch(dns.promises.Resolver.prototype, api, promiseForm(`promises.Resolver.${api}`)));
  }
  restore.push(
    patch(net.Socket.prototype, 'connect', (original) =>
      function (this: unknown, ...args: unknown[]): unknown {
        if (!(this as Record<symbol, boolean> | undefined)?.[HARNESS_SOCKET]) connections.push(destinationOf(args));
        return original.apply(this, args);
      },
    ),
  );

  // `import { lookup } from 'node:dns'` bindings follow the patched CommonJS exports only after this.
  syncBuiltinESMExports();

  return {
    lookups,
    connections,
    leaks(socksPort, controlPort) {
      const out = lookups.map((l) => `local DNS lookup of ${l.host} (${l.api})`);
      for (const c of connections) {
        if (c.host !== '127.0.0.1' || (c.port !== socksPort && c.port !== controlPort)) out.push(`connection to ${c.path ?? `${c.host}:${String(c.port)}`} (not Tor's SOCKS port ${socksPort})`);
      }
      return out;
    },
    stop() {
      for (const r of restore.splice(0).reverse()) r();
      syncBuiltinESMExports();
    },
  };
}
