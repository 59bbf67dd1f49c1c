import dns, { lookup as namedLookup } from 'node:dns';
import http from 'node:http';
import net from 'node:net';
import { SocksProxyAgent } from 'socks-proxy-agent';
import { afterEach, describe, expect, it } from 'vitest';
import { startLeakMonitor, startOnionGate, type LeakMonitor } from '../helpers/tor-network/index.js';

// The leak checks of test/tor/*.test.ts are only worth something if they fail on a leak.
// Here each one is shown a leak on purpose — no Tor needed: the monitor refuses every lookup
// it records, so nothing here reaches a resolver.

const ONION = 'qzpn5zbrkeq7dlpdrefh7qzjjmkzw4rasa3pbhh67npfwbjpmjismvqd.onion';
let monitor: LeakMonitor | undefined;
afterEach(() => {
  monitor?.stop();
  monitor = undefined;
});

function settle(fn: (done: (err?: unknown) => void) => void): Promise<unknown> {
  return new Promise((resolve) => fn(resolve));
}

async function listen(): Promise<net.Server> {
  const server = net.createServer((s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return server;
}

describe('the leak checks catch leaks', () => {
  it('records and refuses every local DNS lookup of a leak-site name, whichever API asks', async () => {
    monitor = startLeakMonitor();
    const errors = [
      await settle((done) => dns.lookup(ONION, (err) => done(err))),
      await settle((done) => namedLookup(ONION, (err) => done(err))),
      await settle((done) => dns.resolve4(ONION, (err) => done(err))),
      await dns.promises.lookup(ONION).catch((e: unknown) => e),
      await new dns.promises.Resolver().resolveAny(ONION).catch((e: unknown) => e),
      // A plain http request (no Tor agent) resolves the name through dns.lookup.
      await settle((done) => http.get(`http://${ONION}/`, () => done()).on('error', done)),
    ];
    for (const err of errors) expect((err as NodeJS.ErrnoException).code).toBe('ENOTFOUND');
    expect(monitor.lookups.map((l) => l.host)).toEqual(Array(6).fill(ONION));
    // The plain request is also caught as a connection that is not to the SOCKS port.
    expect(monitor.leaks(9050)).toEqual([...Array(6).fill(expect.stringMatching(/^local DNS lookup of /)), `connection to ${ONION}:80 (not Tor's SOCKS port 9050)`]);
  });

  it('catches socks5:// (resolve locally, then connect) where leakwatch uses socks5h://', async () => {
    const proxy = await listen();
    const port = (proxy.address() as net.AddressInfo).port;
    monitor = startLeakMonitor();
    const leaky = new SocksProxyAgent(`socks5://127.0.0.1:${port}`);
    await settle((done) => http.get(`http://${ONION}/`, { agent: leaky }, () => done()).on('error', done));
    expect(monitor.lookups).toEqual([{ api: 'dns.lookup', host: ONION }]);
    proxy.close();
  });

  it('flags every TCP connection that is not to the SOCKS port', async () => {
    const socks = await listen();
    const other = await listen();
    const socksPort = (socks.address() as net.AddressInfo).port;
    monitor = startLeakMonitor();
    for (const port of [socksPort, (other.address() as net.AddressInfo).port]) {
      await settle((done) => net.connect({ host: '127.0.0.1', port }).on('close', () => done()).on('error', done));
    }
    expect(monitor.connections).toHaveLength(2);
    expect(monitor.leaks(socksPort)).toEqual([`connection to 127.0.0.1:${(other.address() as net.AddressInfo).port} (not Tor's SOCKS port ${socksPort})`]);
    socks.close();
    other.close();
  });

  it('the onion gate tells connections from the onion host apart from anyone else', async () => {
    const site = await listen();
    let trusted: number[] = [];
    const gate = await startOnionGate('site', (site.address() as net.AddressInfo).port, () => trusted);
    const connectOnce = () => settle((done) => net.connect({ host: '127.0.0.1', port: gate.port }).on('close', () => done()).on('error', done));
    // Someone other than the trusted process connects: attributed to nobody we trust.
    trusted = [process.ppid];
    await connectOnce();
    // The trusted process (here: this one) connects: attributed to it.
    trusted = [process.pid];
    await connectOnce();
    expect(gate.connections.map((c) => c.ownerPid)).toEqual([undefined, process.pid]);
    await gate.close();
    site.close();
  });
});
