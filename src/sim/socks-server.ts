import { createHash } from 'node:crypto';
import net from 'node:net';

/**
 * A loopback SOCKS5 server that stands in for Tor in tests and demos. It maps names (every
 * `*.onion` by default, plus configured host names) to loopback ports, and records every
 * requested host name and SOCKS username, so tests can prove that names reach the proxy
 * (no local DNS) and that per-site credentials differ (stream isolation). It also records the
 * local port of each outbound connection so a target server can prove that every connection
 * it received came from the proxy. Like Tor it refuses IP literals, prefers username/password
 * auth when offered, answers an HTTP request on its port with `501 Tor is not an HTTP Proxy`,
 * and can be told to answer a host with a given reply code (0xF0…) or to stall.
 * Only ever listens on and connects to 127.0.0.1.
 */

export interface SocksConnectionRecord {
  host: string;
  port: number;
  /** ATYP of the request: 'domain', 'ipv4' or 'ipv6'. */
  addressType: 'domain' | 'ipv4' | 'ipv6';
  username: string | undefined;
  /** Reply code sent (undefined while stalled). */
  replyCode: number | undefined;
  atMs: number;
}

export interface SocksServerOptions {
  /** Loopback port every `*.onion` name is mapped to unless a route says otherwise. */
  onionPort?: number;
  /** Exact host names (case-insensitive) → loopback port. */
  routes?: Record<string, number>;
  /** 'none': only no-auth; 'userpass': require credentials; 'either' (default): like Tor. */
  auth?: 'none' | 'userpass' | 'either';
  /** Answer a non-SOCKS (HTTP) request with Tor's 501 line. Default true. */
  torHttpReply?: boolean;
}

export interface TestSocksServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Every CONNECT request, in arrival order. */
  readonly connections: SocksConnectionRecord[];
  /** Local ports of the proxy's outbound connections to targets. */
  readonly outboundLocalPorts: Set<number>;
  /** Connections currently tunnelled per requested host. */
  active(host: string): number;
  route(host: string, port: number): void;
  /** Answer CONNECTs to `host` with this reply code (0xF0, 0xF6, 0x05, …); undefined clears. */
  replyWith(host: string, code: number | undefined): void;
  /** Hold CONNECTs to `host` without replying (an onion circuit that never completes). */
  stall(host: string, on?: boolean): void;
  setTorHttpReply(on: boolean): void;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

/** A syntactically valid v3 onion host (checksum holds) derived from a seed; unresolvable. */
export function fakeOnionHost(seed: string): string {
  const pubkey = createHash('sha256').update(`leakwatch-sim:${seed}`).digest();
  const version = Buffer.from([0x03]);
  const checksum = createHash('sha3-256').update('.onion checksum').update(pubkey).update(version).digest().subarray(0, 2);
  const bytes = Buffer.concat([pubkey, checksum, version]);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return `${out}.onion`;
}

/** Accumulates bytes until `n` are available; SOCKS messages may arrive split or merged. */
class Bytes {
  private buf = Buffer.alloc(0);
  private want: { n: number; resolve: (b: Buffer) => void } | undefined;
  closed = false;

  push(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    this.pump();
  }

  private pump(): void {
    if (this.want && this.buf.length >= this.want.n) {
      const { n, resolve } = this.want;
      this.want = undefined;
      const out = this.buf.subarray(0, n);
      this.buf = this.buf.subarray(n);
      resolve(out);
    }
  }

  /** Resolves with undefined if the client goes away first. */
  read(n: number): Promise<Buffer | undefined> {
    if (this.closed && this.buf.length < n) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.want = { n, resolve };
      this.pump();
    });
  }

  end(): void {
    this.closed = true;
    const w = this.want;
    this.want = undefined;
    w?.resolve(Buffer.alloc(0));
  }

  rest(): Buffer {
    const out = this.buf;
    this.buf = Buffer.alloc(0);
    return out;
  }
}

function reply(code: number): Buffer {
  return Buffer.from([0x05, code, 0x00, 0x01, 0, 0, 0, 0, 0, 0]);
}

const TOR_501 =
  'HTTP/1.0 501 Tor is not an HTTP Proxy\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n' +
  '<html><head><title>This is a SOCKS Proxy, Not An HTTP Proxy</title></head><body><h1>This is a SOCKs proxy, not an HTTP proxy.</h1></body></html>\n';

export async function startSocksServer(options: SocksServerOptions = {}): Promise<TestSocksServer> {
  const routes = new Map<string, number>(Object.entries(options.routes ?? {}).map(([h, p]) => [h.toLowerCase(), p]));
  const replies = new Map<string, number>();
  const stalled = new Set<string>();
  const activeByHost = new Map<string, number>();
  const sockets = new Set<net.Socket>();
  const connections: SocksConnectionRecord[] = [];
  const outboundLocalPorts = new Set<number>();
  const authMode = options.auth ?? 'either';
  let torHttpReply = options.torHttpReply ?? true;

  const track = (s: net.Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };

  async function handle(client: net.Socket): Promise<void> {
    const bytes = new Bytes();
    client.on('data', (c: Buffer) => bytes.push(c));
    client.on('close', () => bytes.end());
    const greeting = await bytes.read(2);
    if (!greeting || greeting.length < 2) return void client.destroy();
    if (greeting[0] !== 0x05) {
      // Not SOCKS5: Tor answers anything HTTP-like with a 501 page and closes.
      if (torHttpReply && /^[A-Z]/.test(String.fromCharCode(greeting[0] ?? 0))) client.end(TOR_501);
      else client.destroy();
      return;
    }
    const methods = await bytes.read(greeting[1] ?? 0);
    if (!methods) return void client.destroy();
    const offered = new Set(methods);
    let username: string | undefined;
    const useUserPass = authMode !== 'none' && offered.has(0x02);
    if (useUserPass) {
      client.write(Buffer.from([0x05, 0x02]));
      const head = await bytes.read(2);
      if (!head || head.length < 2) return void client.destroy();
      const user = await bytes.read(head[1] ?? 0);
      const plen = await bytes.read(1);
      const pass = plen ? await bytes.read(plen[0] ?? 0) : undefined;
      if (!user || !pass) return void client.destroy();
      username = user.toString('utf8');
      client.write(Buffer.from([0x01, 0x00]));
    } else if (authMode !== 'userpass' && offered.has(0x00)) {
      client.write(Buffer.from([0x05, 0x00]));
    } else {
      client.end(Buffer.from([0x05, 0xff]));
      return;
    }
    const req = await bytes.read(4);
    if (!req || req.length < 4) return void client.destroy();
    if (req[1] !== 0x01) return void client.end(reply(0x07));
    let host: string;
    let addressType: SocksConnectionRecord['addressType'];
    if (req[3] === 0x03) {
      const len = await bytes.read(1);
      const name = len ? await bytes.read(len[0] ?? 0) : undefined;
      if (!name) return void client.destroy();
      host = name.toString('utf8').toLowerCase();
      addressType = 'domain';
    } else if (req[3] === 0x01) {
      const a = await bytes.read(4);
      if (!a) return void client.destroy();
      host = [...a].join('.');
      addressType = 'ipv4';
    } else if (req[3] === 0x04) {
      const a = await bytes.read(16);
      if (!a) return void client.destroy();
      host = a.toString('hex');
      addressType = 'ipv6';
    } else {
      return void client.end(reply(0x08));
    }
    const portBytes = await bytes.read(2);
    if (!portBytes || portBytes.length < 2) return void client.destroy();
    const port = portBytes.readUInt16BE(0);
    const record: SocksConnectionRecord = { host, port, addressType, username, replyCode: undefined, atMs: Date.now() };
    connections.push(record);

    const send = (code: number): void => {
      record.replyCode = code;
      client.end(reply(code));
    };
    // Tor never connects to IP literals for onion work; refusing them proves names are sent.
    if (addressType !== 'domain') return send(0x02);
    if (stalled.has(host)) return; // hold the client until it gives up
    const forced = replies.get(host);
    if (forced !== undefined) return send(forced);
    const targetPort = routes.get(host) ?? (host.endsWith('.onion') ? options.onionPort : undefined);
    if (targetPort === undefined) return send(host.endsWith('.onion') ? 0xf0 : 0x04);

    const upstream = net.connect({ host: LOOPBACK, port: targetPort });
    track(upstream);
    upstream.once('connect', () => {
      if (upstream.localPort !== undefined) outboundLocalPorts.add(upstream.localPort);
      record.replyCode = 0x00;
      activeByHost.set(host, (activeByHost.get(host) ?? 0) + 1);
      upstream.once('close', () => activeByHost.set(host, (activeByHost.get(host) ?? 1) - 1));
      client.removeAllListeners('data');
      client.write(reply(0x00));
      const rest = bytes.rest();
      if (rest.length > 0) upstream.write(rest);
      client.pipe(upstream);
      upstream.pipe(client);
      client.once('close', () => upstream.destroy());
      // When the site closes, end the client gracefully: destroying it would drop whatever the
      // pipe still has buffered for it (the tail of a large download, seen on a loaded machine).
      upstream.once('close', (hadError) => (hadError ? client.destroy() : client.end()));
    });
    upstream.once('error', () => {
      if (record.replyCode === undefined) send(0x05);
    });
  }

  const server = net.createServer((client) => {
    track(client);
    handle(client).catch(() => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('socks server: no port');

  return {
    host: LOOPBACK,
    port: address.port,
    connections,
    outboundLocalPorts,
    active: (host) => activeByHost.get(host.toLowerCase()) ?? 0,
    route: (host, port) => void routes.set(host.toLowerCase(), port),
    replyWith: (host, code) => {
      if (code === undefined) replies.delete(host.toLowerCase());
      else replies.set(host.toLowerCase(), code);
    },
    stall: (host, on = true) => {
      if (on) stalled.add(host.toLowerCase());
      else stalled.delete(host.toLowerCase());
    },
    setTorHttpReply: (on) => {
      torHttpReply = on;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
