import net from 'node:net';
import { LeakwatchError } from '../errors.js';
import { SocksReplyError } from './fetch-errors.js';
import { socksConnect, type SocksAuth, type SocksEndpoint } from './socks5-client.js';

/**
 * A per-fetch loopback SOCKS5 relay between Chromium and Tor. Chromium cannot authenticate
 * to a SOCKS5 proxy (Playwright refuses `username` for socks5), so without this every
 * browser fetch would share one circuit family. The relay accepts Chromium's no-auth CONNECTs
 * on 127.0.0.1, checks the host against the site's policy, and opens the upstream tunnel
 * with the site's isolation credentials. It also records Tor's reply code per host (so a
 * failed navigation can be reported as "site offline" etc.) and every host that was refused.
 * Upstream it only ever talks to the configured proxy, with host names (ATYP 3).
 */

export interface RelayOptions {
  upstream: SocksEndpoint;
  auth: SocksAuth;
  /** Host names the page may reach (the site's host and what its policy allows). */
  allowHost: (host: string) => boolean;
  signal?: AbortSignal;
}

export interface SocksRelay {
  readonly port: number;
  /** Hosts Chromium asked for, in order (including refused ones). */
  readonly requested: string[];
  readonly refused: Set<string>;
  /** Typed upstream failure per `host:port` (SOCKS reply or proxy error). */
  readonly failures: Map<string, LeakwatchError>;
  /** performance.now() of the first successful tunnel per host. */
  readonly connectedAt: Map<string, number>;
  close(): Promise<void>;
}

function reply(code: number): Buffer {
  return Buffer.from([0x05, code, 0x00, 0x01, 0, 0, 0, 0, 0, 0]);
}

/** Reads one SOCKS5 CONNECT (after a no-auth greeting) from a client; undefined = bad input. */
async function readConnect(client: net.Socket): Promise<{ host: string; port: number; atyp: number; rest: Buffer } | undefined> {
  let buf = Buffer.alloc(0);
  const need = (n: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (buf.length >= n) return resolve(true);
      const onData = (c: Buffer): void => {
        buf = Buffer.concat([buf, c]);
        if (buf.length >= n) {
          cleanup();
          resolve(true);
        } else if (buf.length > 1024) {
          cleanup();
          resolve(false);
        }
      };
      const onEnd = (): void => {
        cleanup();
        resolve(false);
      };
      const cleanup = (): void => {
        client.off('data', onData);
        client.off('close', onEnd);
      };
      client.on('data', onData);
      client.on('close', onEnd);
    });
  if (!(await need(2)) || buf[0] !== 0x05) return undefined;
  const nMethods = buf[1] ?? 0;
  if (!(await need(2 + nMethods))) return undefined;
  if (!buf.subarray(2, 2 + nMethods).includes(0x00)) {
    client.end(Buffer.from([0x05, 0xff]));
    return undefined;
  }
  client.write(Buffer.from([0x05, 0x00]));
  buf = buf.subarray(2 + nMethods);
  if (!(await need(5))) return undefined;
  const atyp = buf[3] ?? 0;
  if (buf[1] !== 0x01) {
    client.end(reply(0x07));
    return undefined;
  }
  let hostEnd: number;
  let host: string;
  if (atyp === 0x03) {
    const len = buf[4] ?? 0;
    hostEnd = 5 + len;
    if (!(await need(hostEnd + 2))) return undefined;
    host = buf.subarray(5, hostEnd).toString('utf8').toLowerCase();
  } else if (atyp === 0x01) {
    hostEnd = 8;
    if (!(await need(hostEnd + 2))) return undefined;
    host = [...buf.subarray(4, 8)].join('.');
  } else if (atyp === 0x04) {
    hostEnd = 20;
    if (!(await need(hostEnd + 2))) return undefined;
    host = buf.subarray(4, 20).toString('hex');
  } else {
    client.end(reply(0x08));
    return undefined;
  }
  const port = buf.readUInt16BE(hostEnd);
  return { host, port, atyp, rest: buf.subarray(hostEnd + 2) };
}

export async function startSocksRelay(options: RelayOptions): Promise<SocksRelay> {
  const sockets = new Set<net.Socket>();
  const requested: string[] = [];
  const refused = new Set<string>();
  const failures = new Map<string, LeakwatchError>();
  const connectedAt = new Map<string, number>();
  const pending = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, pending.signal]) : pending.signal;

  const track = (s: net.Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };

  async function handle(client: net.Socket): Promise<void> {
    const req = await readConnect(client);
    if (!req) return void client.destroy();
    requested.push(req.host);
    // Chromium sends names to a SOCKS5 proxy; an IP literal (ATYP 1/4) is a page trying to
    // reach an address directly, and a name outside the policy is the page leaving the site.
    if (req.atyp !== 0x03 || !options.allowHost(req.host)) {
      refused.add(req.host);
      return void client.end(reply(0x02));
    }
    try {
      const tunnel = await socksConnect({ proxy: options.upstream, auth: options.auth, host: req.host, port: req.port, signal });
      track(tunnel.socket);
      if (!connectedAt.has(req.host)) connectedAt.set(req.host, performance.now());
      client.write(reply(0x00));
      if (req.rest.length > 0) tunnel.socket.write(req.rest);
      if (tunnel.head.length > 0) client.write(tunnel.head);
      client.pipe(tunnel.socket);
      tunnel.socket.pipe(client);
      client.once('close', () => tunnel.socket.destroy());
      // Ending (not destroying) the browser's side keeps what the pipe still holds for it.
      tunnel.socket.once('close', (hadError) => (hadError ? client.destroy() : client.end()));
    } catch (err) {
      const key = `${req.host}:${req.port}`;
      if (err instanceof LeakwatchError && !failures.has(key)) failures.set(key, err);
      client.end(reply(err instanceof SocksReplyError ? err.replyCode : 0x01));
    }
  }

  const server = net.createServer((client) => {
    track(client);
    handle(client).catch(() => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('internal: relay has no port');

  return {
    port: address.port,
    requested,
    refused,
    failures,
    connectedAt,
    close: () =>
      new Promise<void>((resolve) => {
        pending.abort();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
