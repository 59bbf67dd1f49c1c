import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach } from 'vitest';
import { HttpTransport, type HttpTransportOptions } from '../../src/fetch/index.js';
import { fakeOnionHost, startSocksServer, type SocksServerOptions, type TestSocksServer } from '../../src/sim/socks-server.js';

export { fakeOnionHost };

export interface TargetServer {
  port: number;
  /** Remote port of every TCP connection the target accepted. */
  remotePorts: number[];
  /** Requests seen, in order. */
  requests: http.IncomingMessage[];
  /** Requests in flight now / at most at once. */
  inFlight: number;
  maxInFlight: number;
  close(): Promise<void>;
}

/** May return anything (e.g. `res.end()`'s value); a returned promise is awaited. */
type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => unknown;

/** A loopback HTTP server standing in for a leak site (only ever reached through the proxy). */
export async function startTarget(handler: Handler): Promise<TargetServer> {
  const sockets = new Set<Socket>();
  const target: TargetServer = {
    port: 0,
    remotePorts: [],
    requests: [],
    inFlight: 0,
    maxInFlight: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    target.requests.push(req);
    target.inFlight++;
    target.maxInFlight = Math.max(target.maxInFlight, target.inFlight);
    res.on('close', () => target.inFlight--);
    Promise.resolve(handler(req, res)).catch(() => res.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    if (s.remotePort !== undefined) target.remotePorts.push(s.remotePort);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  target.port = (server.address() as AddressInfo).port;
  return target;
}

export interface Rig {
  proxy: TestSocksServer;
  target: TargetServer;
  /** A valid v3 onion name routed to the target. */
  host: string;
  url(path?: string): string;
  transport(options?: Partial<HttpTransportOptions>): HttpTransport;
}

/** Proxy + target, closed after each test. */
export function useRig(): (handler: Handler, proxyOptions?: SocksServerOptions) => Promise<Rig> {
  const open: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of open.splice(0)) await close();
  });
  return async (handler, proxyOptions) => {
    const target = await startTarget(handler);
    const proxy = await startSocksServer({ onionPort: target.port, ...proxyOptions });
    open.push(() => proxy.close(), () => target.close());
    const host = fakeOnionHost('rig-site');
    return {
      proxy,
      target,
      host,
      url: (path = '/') => `http://${host}${path}`,
      transport: (options = {}) =>
        new HttpTransport({
          proxy: { host: proxy.host, port: proxy.port },
          politeness: { concurrency: 8, perHostConcurrency: 8, perHostDelayMs: 0 },
          retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 5 },
          timeouts: { connectMs: 5000, firstByteMs: 5000, idleMs: 5000, totalMs: 20_000 },
          ...options,
        }),
    };
  };
}
