import type http from 'node:http';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { SocksProxyAgent } from 'socks-proxy-agent';
import type { SocksAuth, SocksEndpoint } from './socks5-client.js';

/**
 * The only socket factory for HTTP fetches: socks-proxy-agent with `socks5h://` (the host
 * name goes to Tor, never to local DNS), carrying the site's isolation credentials. One agent
 * per request, no keep-alive: a stream to an onion is cheap once the circuit exists, and a
 * pooled socket would outlive the request's deadlines.
 *
 * `connect` is wrapped so that
 *  - a failure before the tunnel exists is marked as a `SocksConnectFailure` (the transport
 *    then diagnoses the real reply code; the `socks` package drops Tor's extended codes);
 *  - the abort signal is honoured while the SOCKS handshake is pending (the late socket, if
 *    any, is destroyed);
 *  - socks-proxy-agent's `socket.setTimeout(connect timeout)`, which would otherwise act as a
 *    second, hidden idle timeout for the whole body, is cleared; our own deadlines rule.
 */

type ConnectOpts = Parameters<SocksProxyAgent['connect']>[1];

/** Marks a failure that happened while establishing the SOCKS tunnel. */
export class SocksConnectFailure extends Error {
  constructor(cause: unknown) {
    super('SOCKS connect failed', { cause });
    this.name = 'SocksConnectFailure';
  }
}

export interface TorAgentOptions {
  proxy: SocksEndpoint;
  auth: SocksAuth;
  /** Bounds the `socks` package's own handshake; set above the connect deadline. */
  socksTimeoutMs: number;
  signal: AbortSignal;
  onConnected: () => void;
}

export function proxyUrl(proxy: SocksEndpoint, auth: SocksAuth): URL {
  const url = new URL('socks5h://placeholder');
  url.hostname = proxy.host.includes(':') ? `[${proxy.host}]` : proxy.host;
  url.port = String(proxy.port);
  url.username = encodeURIComponent(auth.username);
  url.password = encodeURIComponent(auth.password);
  return url;
}

export class TorAgent extends SocksProxyAgent {
  private readonly signal: AbortSignal;
  private readonly onConnected: () => void;

  constructor(options: TorAgentOptions) {
    const url = proxyUrl(options.proxy, options.auth);
    super(url, { timeout: options.socksTimeoutMs, keepAlive: false });
    // Defence in depth: socks5h means no lookup, but never let this agent resolve locally.
    if (this.shouldLookup) throw new Error('internal: TorAgent must use socks5h (remote DNS)');
    this.signal = options.signal;
    this.onConnected = options.onConnected;
  }

  override async connect(req: http.ClientRequest, opts: ConnectOpts): Promise<net.Socket> {
    let raw: Duplex | undefined;
    const onProxy = (event: { socket: Duplex }): void => {
      raw = event.socket;
    };
    req.once('proxy', onProxy);
    const pending = super.connect(req, opts);
    try {
      const socket = await new Promise<net.Socket>((resolve, reject) => {
        if (this.signal.aborted) {
          reject(this.signal.reason as Error);
          return;
        }
        const onAbort = (): void => reject(this.signal.reason as Error);
        this.signal.addEventListener('abort', onAbort, { once: true });
        pending.then(
          (s) => {
            this.signal.removeEventListener('abort', onAbort);
            resolve(s);
          },
          (e: unknown) => {
            this.signal.removeEventListener('abort', onAbort);
            reject(new SocksConnectFailure(e));
          },
        );
      });
      for (const s of [raw, socket]) (s as { setTimeout?: (ms: number) => void } | undefined)?.setTimeout?.(0);
      this.onConnected();
      return socket;
    } catch (err) {
      // Aborted mid-handshake: the tunnel may still complete later; close it then.
      pending.then((s) => s.destroy(), () => undefined);
      throw err;
    } finally {
      req.off('proxy', onProxy);
    }
  }
}
