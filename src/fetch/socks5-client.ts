import net from 'node:net';
import { AbortError } from '../errors.js';
import { ProxyError, SocksReplyError, TargetRefusedError } from './fetch-errors.js';

/**
 * A minimal SOCKS5 client (RFC 1928 + RFC 1929), used where socks-proxy-agent cannot help:
 *  - to diagnose a failed CONNECT: the `socks` package turns Tor's extended reply codes into
 *    a message ending in "undefined" and keeps no code, so we repeat the CONNECT ourselves,
 *    read the reply byte and close without sending any data;
 *  - as the upstream side of the browser relay (Chromium cannot authenticate to SOCKS5);
 *  - for the preflight greeting.
 * It only ever connects to the configured proxy, and always sends the destination as a
 * domain name (ATYP 3) so Tor resolves it: there is no local DNS here.
 */

export interface SocksEndpoint {
  host: string;
  port: number;
}

export interface SocksAuth {
  username: string;
  password: string;
}

/** Reads exact byte counts from a socket that is still in the handshake. */
class HandshakeReader {
  private buffered = Buffer.alloc(0);
  private waiter: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(private readonly socket: net.Socket, private readonly describe: () => Error) {
    socket.on('data', this.onData);
    socket.on('close', this.onClose);
    socket.on('error', this.onError);
  }

  private readonly onData = (chunk: Buffer): void => {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    this.flush();
  };

  private readonly onClose = (): void => this.fail(this.describe());
  private readonly onError = (err: Error): void => this.fail(err);

  private fail(err: Error): void {
    this.failure ??= err;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(this.failure);
  }

  private flush(): void {
    const w = this.waiter;
    if (!w || this.buffered.length < w.n) return;
    const out = this.buffered.subarray(0, w.n);
    this.buffered = this.buffered.subarray(w.n);
    this.waiter = undefined;
    w.resolve(out);
  }

  read(n: number): Promise<Buffer> {
    if (this.failure && this.buffered.length < n) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = { n, resolve, reject };
      this.flush();
    });
  }

  /** Stops listening; returns bytes that arrived after the handshake (tunnelled data). */
  detach(): Buffer {
    this.socket.off('data', this.onData);
    this.socket.off('close', this.onClose);
    this.socket.off('error', this.onError);
    return this.buffered;
  }
}

function proxyName(proxy: SocksEndpoint): string {
  return `${proxy.host}:${proxy.port}`;
}

/** Connects a TCP socket to the proxy itself; a refused/unreachable proxy is a ProxyError. */
export function connectToProxy(proxy: SocksEndpoint, signal?: AbortSignal): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortError('operation aborted', { cause: signal.reason }));
      return;
    }
    const socket = net.connect({ host: proxy.host, port: proxy.port });
    const onAbort = (): void => {
      socket.destroy();
      reject(new AbortError('operation aborted', { cause: signal?.reason }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      signal?.removeEventListener('abort', onAbort);
      reject(proxyUnreachable(proxy, err));
    });
  });
}

export function proxyUnreachable(proxy: SocksEndpoint, err: NodeJS.ErrnoException): ProxyError {
  const why = err.code === 'ECONNREFUSED' ? 'connection refused' : err.code === 'ETIMEDOUT' ? 'connection timed out' : (err.code ?? err.message);
  return new ProxyError('E_PROXY', `Tor SOCKS proxy at ${proxyName(proxy)} is not reachable: ${why} — is tor running?`, { cause: err });
}

/**
 * Greeting + optional username/password sub-negotiation on an open socket.
 * Offers only the method we intend to use, so Tor's IsolateSOCKSAuth sees our credentials.
 */
async function greet(reader: HandshakeReader, socket: net.Socket, proxy: SocksEndpoint, auth: SocksAuth | undefined): Promise<void> {
  socket.write(Buffer.from([0x05, 0x01, auth ? 0x02 : 0x00]));
  const choice = await reader.read(2);
  if (choice[0] !== 0x05) {
    throw new ProxyError('E_PROXY', `${proxyName(proxy)} is not a SOCKS5 proxy (greeting answered with version ${String(choice[0])})`);
  }
  if (choice[1] === 0xff) {
    throw new ProxyError('E_SOCKS_AUTH', `SOCKS5 proxy at ${proxyName(proxy)} accepts none of the offered authentication methods`);
  }
  if (choice[1] === 0x02) {
    if (!auth) throw new ProxyError('E_SOCKS_AUTH', `SOCKS5 proxy at ${proxyName(proxy)} demands a username/password`);
    const user = Buffer.from(auth.username, 'utf8');
    const pass = Buffer.from(auth.password, 'utf8');
    if (user.length < 1 || user.length > 255 || pass.length > 255) throw new ProxyError('E_SOCKS_AUTH', 'SOCKS credentials must be 1–255 bytes');
    socket.write(Buffer.concat([Buffer.from([0x01, user.length]), user, Buffer.from([pass.length]), pass]));
    const status = await reader.read(2);
    if (status[1] !== 0x00) throw new ProxyError('E_SOCKS_AUTH', `SOCKS5 proxy at ${proxyName(proxy)} rejected the isolation credentials`);
  } else if (choice[1] !== 0x00) {
    throw new ProxyError('E_PROXY', `SOCKS5 proxy at ${proxyName(proxy)} chose an unsupported method ${String(choice[1])}`);
  }
}

/** Reads the rest of a CONNECT reply (bound address) so the tunnel starts clean. */
async function readBoundAddress(reader: HandshakeReader, atyp: number): Promise<void> {
  if (atyp === 0x01) await reader.read(4 + 2);
  else if (atyp === 0x04) await reader.read(16 + 2);
  else if (atyp === 0x03) {
    const len = (await reader.read(1))[0] ?? 0;
    await reader.read(len + 2);
  } else {
    throw new ProxyError('E_PROXY', `SOCKS5 reply with unknown address type ${atyp}`);
  }
}

export interface SocksConnectRequest {
  proxy: SocksEndpoint;
  auth?: SocksAuth;
  host: string;
  port: number;
  signal?: AbortSignal;
}

export interface SocksTunnel {
  socket: net.Socket;
  /** Bytes the far end sent right after the reply (rare; must be forwarded first). */
  head: Buffer;
}

/**
 * Full CONNECT: resolves with an open tunnel, or rejects with SocksReplyError (the reply
 * code), ProxyError (proxy down / not SOCKS5 / auth) or AbortError.
 */
export async function socksConnect(req: SocksConnectRequest): Promise<SocksTunnel> {
  const host = Buffer.from(req.host, 'utf8');
  if (host.length < 1 || host.length > 255) throw new TargetRefusedError('E_TARGET_REFUSED', 'host name must be 1–255 bytes for SOCKS5');
  const socket = await connectToProxy(req.proxy, req.signal);
  const closed = (): Error => new ProxyError('E_PROXY', `SOCKS5 proxy at ${proxyName(req.proxy)} closed the connection during the handshake`);
  const reader = new HandshakeReader(socket, closed);
  const onAbort = (): void => {
    socket.destroy();
  };
  req.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await greet(reader, socket, req.proxy, req.auth);
    const port = Buffer.alloc(2);
    port.writeUInt16BE(req.port);
    socket.write(Buffer.concat([Buffer.from([0x05, 0x01, 0x00, 0x03, host.length]), host, port]));
    const head = await reader.read(4);
    if (head[0] !== 0x05) throw new ProxyError('E_PROXY', `SOCKS5 proxy at ${proxyName(req.proxy)} sent a malformed reply`);
    const reply = head[1] ?? 0x01;
    if (reply !== 0x00) throw new SocksReplyError(reply);
    await readBoundAddress(reader, head[3] ?? 0);
    return { socket, head: reader.detach() };
  } catch (err) {
    reader.detach();
    socket.destroy();
    if (req.signal?.aborted) throw new AbortError('operation aborted', { cause: req.signal.reason });
    throw err;
  } finally {
    req.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Diagnostic CONNECT: returns the proxy's reply code (0 = the connection would have worked)
 * and closes the tunnel without sending a byte. Proxy-level failures still throw.
 */
export async function probeSocksReply(req: SocksConnectRequest): Promise<number> {
  try {
    const { socket } = await socksConnect(req);
    socket.destroy();
    return 0x00;
  } catch (err) {
    if (err instanceof SocksReplyError) return err.replyCode;
    throw err;
  }
}

/**
 * Greeting only (no CONNECT): proves the port speaks SOCKS5 and accepts our auth method.
 * Used by the preflight so that checking the proxy never asks it to reach anything.
 */
export async function socksGreeting(proxy: SocksEndpoint, auth: SocksAuth | undefined, signal?: AbortSignal): Promise<void> {
  const socket = await connectToProxy(proxy, signal);
  const reader = new HandshakeReader(socket, () => new ProxyError('E_PROXY', `${proxyName(proxy)} closed the connection on a SOCKS5 greeting: not a SOCKS5 proxy`));
  const onAbort = (): void => {
    socket.destroy();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await greet(reader, socket, proxy, auth);
  } catch (err) {
    if (signal?.aborted) throw new AbortError('operation aborted', { cause: signal.reason });
    throw err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    reader.detach();
    socket.destroy();
  }
}
