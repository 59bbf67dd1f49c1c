import { AbortError, LeakwatchError } from '../errors.js';
import { systemClock, type Clock } from './clock.js';
import { ProxyError } from './fetch-errors.js';
import { connectToProxy, socksGreeting, type SocksEndpoint } from './socks5-client.js';

/**
 * Run preflight: is the configured proxy reachable, does it speak SOCKS5, and is it Tor?
 * Tor answers an HTTP request sent to its SOCKS port with `HTTP/1.0 501 Tor is not an HTTP
 * Proxy` (OnionScan's check) — a port that does not is some other proxy, or nothing, and the
 * run must not go on pretending to be anonymous. Nothing here asks the proxy to connect
 * anywhere. Every failure is a ProxyError (fatal): the caller fetches nothing.
 */

export interface CheckProxyOptions {
  signal?: AbortSignal;
  /** Whole check; default 10 s. */
  timeoutMs?: number;
  /**
   * Require the Tor fingerprint (default true). Only tests and demos with a plain SOCKS5
   * proxy (src/sim/socks-server.ts with torHttpReply off) set this to false; production
   * configs keep it on.
   */
  expectTor?: boolean;
  clock?: Clock;
}

export interface ProxyCheck {
  host: string;
  port: number;
  /** The port answered like Tor. */
  tor: boolean;
  latencyMs: number;
}

const TOR_REPLY = /^HTTP\/1\.[01] 501 Tor is not an HTTP Proxy/;

/** Sends a bare HTTP request to the SOCKS port and returns the first line of the answer. */
async function httpProbe(proxy: SocksEndpoint, signal: AbortSignal): Promise<string> {
  const socket = await connectToProxy(proxy, signal);
  return new Promise<string>((resolve, reject) => {
    let text = '';
    const finish = (): void => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(text.split('\r\n')[0] ?? '');
    };
    const onAbort = (): void => {
      socket.destroy();
      reject(new AbortError('operation aborted', { cause: signal.reason }));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n') || text.length > 512) finish();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', finish);
    socket.write('GET / HTTP/1.0\r\nHost: leakwatch-preflight\r\n\r\n');
  });
}

export async function checkProxy(proxy: SocksEndpoint, options: CheckProxyOptions = {}): Promise<ProxyCheck> {
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const name = `${proxy.host}:${proxy.port}`;
  const started = clock.now();
  const expectTor = options.expectTor ?? true;
  try {
    let tor = false;
    if (expectTor) {
      const line = await httpProbe(proxy, signal);
      tor = TOR_REPLY.test(line);
      if (!tor) {
        const seen = line ? `answered "${line.slice(0, 60)}"` : 'closed the connection without an answer';
        throw new ProxyError('E_PROXY', `the proxy at ${name} is not Tor: an HTTP request to it ${seen} instead of "501 Tor is not an HTTP Proxy" — check tor.socksHost/socksPort`);
      }
    }
    // Same method we use for fetches (username/password for isolation).
    await socksGreeting(proxy, { username: 'leakwatch-preflight', password: 'preflight' }, signal);
    return { host: proxy.host, port: proxy.port, tor, latencyMs: clock.now() - started };
  } catch (err) {
    if (options.signal?.aborted) throw new AbortError('preflight aborted', { cause: options.signal.reason });
    if (timeout.aborted) {
      throw new ProxyError('E_PROXY', `Tor SOCKS proxy at ${name} did not answer within ${timeoutMs} ms — is tor running and bootstrapped?`, { cause: err });
    }
    if (err instanceof LeakwatchError) throw err;
    throw new ProxyError('E_PROXY', `Tor SOCKS proxy at ${name} failed the preflight`, { cause: err });
  }
}
