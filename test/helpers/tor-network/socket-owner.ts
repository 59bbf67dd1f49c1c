import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * Which process owns the client end of a loopback TCP connection (Linux /proc). The onion
 * gate uses it to prove that a connection to the simulator came from the onion host's tor
 * process — i.e. through Tor — and not from the crawler or anything else on the machine.
 */

const LOOPBACK_HEX = '0100007F';

function hexPort(port: number): string {
  return port.toString(16).toUpperCase().padStart(4, '0');
}

/** Inode of the socket whose local end is 127.0.0.1:localPort and remote end 127.0.0.1:remotePort. */
export function loopbackSocketInode(localPort: number, remotePort: number): string | undefined {
  let table: string;
  try {
    table = readFileSync('/proc/net/tcp', 'utf8');
  } catch {
    return undefined;
  }
  const local = `${LOOPBACK_HEX}:${hexPort(localPort)}`;
  const remote = `${LOOPBACK_HEX}:${hexPort(remotePort)}`;
  for (const line of table.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols[1] === local && cols[2] === remote) return cols[9];
  }
  return undefined;
}

/** The first of `pids` holding socket `inode` open, if any. */
export function pidHoldingSocket(inode: string, pids: readonly number[]): number | undefined {
  const target = `socket:[${inode}]`;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === target) return pid;
      } catch {
        // fd closed meanwhile
      }
    }
  }
  return undefined;
}

/** Which of `pids` opened the connection that arrived from 127.0.0.1:peerPort at serverPort. */
export function connectionOwner(peerPort: number, serverPort: number, pids: readonly number[]): number | undefined {
  const inode = loopbackSocketInode(peerPort, serverPort);
  return inode && inode !== '0' ? pidHoldingSocket(inode, pids) : undefined;
}
