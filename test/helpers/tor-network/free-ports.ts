import net from 'node:net';

/**
 * Free TCP ports on 127.0.0.1 for the torrcs. Tor needs the numbers before it starts (the
 * authorities' DirPorts are baked into every node's `DirAuthority` lines), so ports are
 * found by binding port 0 and releasing it. All listeners are held at once, so the ports are
 * distinct; ports handed out earlier in this process are never handed out again. Another
 * process may still grab one in the gap before tor binds it: the network start detects
 * "Address already in use" and starts over with fresh ports (tor-network.ts).
 */

const handedOut = new Set<number>();

function listenOnce(): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

export async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  const ports: number[] = [];
  try {
    // Bounded: at most a few extra binds to step over ports we handed out before.
    for (let tries = 0; ports.length < count && tries < count * 4 + 16; tries++) {
      const server = await listenOnce();
      servers.push(server);
      const port = (server.address() as net.AddressInfo).port;
      if (!handedOut.has(port)) ports.push(port);
    }
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
  if (ports.length < count) throw new Error(`could not find ${count} free loopback ports`);
  for (const p of ports) handedOut.add(p);
  return ports;
}
