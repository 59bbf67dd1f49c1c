import net from 'node:net';
import { harnessSocket } from './leak-monitor.js';
import { connectionOwner } from './socket-owner.js';

/**
 * A loopback TCP forwarder between the onion host's tor and one simulated site. The onion
 * service's HiddenServicePort points here, so the simulator is reachable only as an onion
 * service target; for every accepted connection the gate records which process opened it
 * (socket-owner.ts). A test then asserts every connection the site saw was opened by the
 * onion host's tor: a crawler that reached the site any other way would show up as a
 * connection owned by another PID (or by nothing we know).
 */

export interface GateConnection {
  at: number;
  peerPort: number;
  /** PID that opened the connection, if it is one of the gate's trusted PIDs. */
  ownerPid: number | undefined;
}

export interface OnionGate {
  readonly port: number;
  readonly name: string;
  readonly connections: GateConnection[];
  close(): Promise<void>;
}

/**
 * `trusted` answers the PIDs whose connections count as "came through Tor": the onion host's
 * current tor (asked per connection, since a restarted onion host has a new PID).
 */
export async function startOnionGate(name: string, targetPort: number, trusted: () => readonly number[]): Promise<OnionGate> {
  const connections: GateConnection[] = [];
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const server = net.createServer((inbound) => {
    track(inbound);
    // Attribute before anything else: the client end exists as long as this socket is open.
    connections.push({ at: Date.now(), peerPort: inbound.remotePort ?? 0, ownerPid: connectionOwner(inbound.remotePort ?? 0, port, trusted()) });
    const outbound = harnessSocket().connect({ host: '127.0.0.1', port: targetPort });
    track(outbound);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
    inbound.once('close', () => outbound.destroy());
    outbound.once('close', (hadError) => (hadError ? inbound.destroy() : inbound.end()));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    name,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
