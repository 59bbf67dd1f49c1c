import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkProxy, ProxyError } from '../../src/fetch/index.js';
import { startSocksServer, type TestSocksServer } from '../../src/sim/socks-server.js';

async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('preflight', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });
  const proxy = async (torHttpReply = true): Promise<TestSocksServer> => {
    const p = await startSocksServer({ torHttpReply });
    closers.push(() => p.close());
    return p;
  };

  it('passes for a Tor-like SOCKS5 proxy, without asking it to connect anywhere', async () => {
    const p = await proxy();
    const check = await checkProxy({ host: p.host, port: p.port });
    expect(check).toMatchObject({ host: '127.0.0.1', port: p.port, tor: true });
    expect(p.connections).toHaveLength(0);
  });

  it('fails closed when nothing listens, with a clear message', async () => {
    const port = await deadPort();
    const err = await checkProxy({ host: '127.0.0.1', port }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProxyError);
    expect((err as Error).message).toBe(`Tor SOCKS proxy at 127.0.0.1:${port} is not reachable: connection refused — is tor running?`);
  });

  it('fails when the SOCKS5 proxy is not Tor, unless expectTor is off (test proxies only)', async () => {
    const p = await proxy(false);
    await expect(checkProxy({ host: p.host, port: p.port })).rejects.toThrow(/is not Tor/);
    await expect(checkProxy({ host: p.host, port: p.port }, { expectTor: false })).resolves.toMatchObject({ tor: false });
  });

  it('fails when the port is an HTTP server or a silent one', async () => {
    const web = http.createServer((_req, res) => res.end('hi'));
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', () => r()));
    closers.push(() => new Promise((r) => web.close(() => r())));
    const webPort = (web.address() as net.AddressInfo).port;
    await expect(checkProxy({ host: '127.0.0.1', port: webPort })).rejects.toThrow(/is not Tor: an HTTP request to it answered "HTTP\/1.1 200 OK"/);
    await expect(checkProxy({ host: '127.0.0.1', port: webPort }, { expectTor: false })).rejects.toThrow(/not a SOCKS5 proxy/);

    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    closers.push(async () => {
      silent.close();
      await Promise.resolve();
    });
    const silentPort = (silent.address() as net.AddressInfo).port;
    await expect(checkProxy({ host: '127.0.0.1', port: silentPort }, { timeoutMs: 300 })).rejects.toThrow(/did not answer within 300 ms/);
  });
});
