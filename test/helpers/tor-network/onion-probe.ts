import { socksConnect } from '../../../src/fetch/socks5-client.js';

/**
 * One HTTP request to an onion service through the client's SOCKS port, answering the
 * status line (or throwing). The harness uses it as the last readiness check: "descriptor
 * uploaded" and "client bootstrapped" are necessary, a real round trip is sufficient.
 * Its own SOCKS credentials keep its circuits apart from the crawler's (IsolateSOCKSAuth).
 */

export async function probeOnion(socksPort: number, onionHost: string, timeoutMs: number): Promise<string> {
  const signal = AbortSignal.timeout(timeoutMs);
  const { socket, head } = await socksConnect({
    proxy: { host: '127.0.0.1', port: socksPort },
    auth: { username: 'tor-network-probe', password: 'probe' },
    host: onionHost,
    port: 80,
    signal,
  });
  return new Promise<string>((resolve, reject) => {
    let text = head.toString('latin1');
    const finish = (err?: Error): void => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      const status = text.split('\r\n')[0] ?? '';
      if (/^HTTP\/1\.[01] \d{3}/.test(status)) resolve(status);
      else reject(err ?? new Error(`no HTTP answer from ${onionHost} (got ${JSON.stringify(status.slice(0, 60))})`));
    };
    const onAbort = (): void => finish(new Error(`probe of ${onionHost} timed out after ${timeoutMs} ms`));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('data', (c: Buffer) => {
      text += c.toString('latin1');
      if (text.includes('\r\n')) finish();
    });
    socket.on('error', (e) => finish(e));
    socket.on('close', () => finish());
    socket.write(`HEAD /robots.txt HTTP/1.0\r\nHost: ${onionHost}\r\nUser-Agent: tor-network-probe\r\n\r\n`);
  });
}
