import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuthorityKeys } from './authority-keys.js';
import { connectWhenReady, type TorControl } from './control-client.js';
import { waitForConsensus } from './consensus-wait.js';
import { freePorts } from './free-ports.js';
import { OnionHost } from './onion-host.js';
import { probeOnion } from './onion-probe.js';
import { requireTorBinaries, type TorBinaries } from './tor-binaries.js';
import { PortInUseError, TorProcess } from './tor-process.js';
import {
  authorityTorrc, clientTorrc, onionHostTorrc, relayTorrc, VOTING_INTERVAL_SECONDS, type AuthorityInfo, type CommonOptions, type OnionServiceSpec,
} from './torrc.js';
import { pollUntil } from './wait.js';

/**
 * A private Tor network on loopback: 3 directory authorities, 3 relays, 1 onion-service host
 * (one v3 service per OnionServiceSpec) and 1 client with a SOCKS port (ExtendedErrors) and a
 * cookie-authenticated control port. Order matters (../shared/notes/tor.md): authorities and
 * relays first; the onion host and client only once the consensus lists every relay; ready
 * when the client has bootstrapped, every descriptor is uploaded, and a real HTTP request to
 * every service through the SOCKS port succeeded. Every wait is bounded; everything is torn
 * down by the PIDs started here (process-registry.ts covers crashes and timeouts).
 */

export interface TorNetworkOptions {
  services: OnionServiceSpec[];
  /** Bounds, ms. Defaults are generous for a loaded 2-core CI machine. */
  timeouts?: Partial<TorNetworkTimeouts>;
  /** Keep the temp directory (torrcs, logs) after stop(); also LEAKWATCH_KEEP_TOR_NETWORK=1. */
  keepDir?: boolean;
}

export interface TorNetworkTimeouts {
  consensusMs: number;
  bootstrapMs: number;
  descriptorMs: number;
  probeMs: number;
}

const DEFAULT_TIMEOUTS: TorNetworkTimeouts = { consensusMs: 90_000, bootstrapMs: 60_000, descriptorMs: 90_000, probeMs: 60_000 };

/**
 * For a test hook that starts a network (and builds its corpus first): above the sum of the
 * phase bounds, so a stuck start fails with the harness's own message (which phase, the
 * nodes' last log lines), not with the hook's bare timeout. Normal starts take 15–60 s.
 */
export const NETWORK_START_TIMEOUT_MS = 420_000;

/** Milliseconds from the start of startTorNetwork, per phase. */
export interface BootstrapTimings {
  /** Authority keys generated. */
  keysMs: number;
  /** Consensus lists all six relays. */
  consensusMs: number;
  /** Client logged Bootstrapped 100%. */
  clientBootstrappedMs: number;
  /** Every descriptor uploaded. */
  descriptorsMs: number;
  /** First successful HTTP round trip to every service: the network is usable. */
  readyMs: number;
  /** Start attempts (more than 1 = a port was taken by someone else and the start was redone). */
  attempts: number;
  /** Times the client got stuck bootstrapping and was started again with fresh state. */
  clientRestarts: number;
}

export interface TorNetwork {
  readonly dir: string;
  readonly socksPort: number;
  /** The client's control port (cookie authentication). */
  readonly controlPort: number;
  /** The client's control_auth_cookie. */
  readonly cookiePath: string;
  /** Service name → `<56 chars>.onion`. */
  readonly onionHosts: Readonly<Record<string, string>>;
  readonly timings: BootstrapTimings;
  readonly authorities: readonly AuthorityInfo[];
  /** Every torrc written, by node name. */
  torrcs(): Record<string, string>;
  /** PIDs of the tor processes running now. */
  pids(): number[];
  /** The onion host's PID while it runs (connections from it came through Tor). */
  onionHostPid(): number | undefined;
  /** A control connection to the client (caller closes it). */
  clientControl(): Promise<TorControl>;
  clientRunning(): boolean;
  stopClient(): Promise<void>;
  /** Starts the client again (same data dir and ports); waits for bootstrap unless told not to. */
  startClient(options?: { waitForBootstrap?: boolean }): Promise<void>;
  restartClient(options?: { waitForBootstrap?: boolean }): Promise<void>;
  stopOnionHost(options?: { kill?: boolean }): Promise<void>;
  /** Starts the onion host again and waits until its services answer through the client. */
  startOnionHost(): Promise<void>;
  /**
   * Publishes an extra onion service whose key the test made (so it knew the address while
   * nothing published it); answers `<address>.onion` once the descriptor is uploaded.
   */
  publishEphemeralOnion(keyBlob: string, targetPort: number): Promise<string>;
  /** Waits until every service answers an HTTP request through the client's SOCKS port. */
  waitUntilReachable(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const AUTHORITIES = 3;
const RELAYS = 3;

interface Layout {
  dir: string;
  authorities: AuthorityInfo[];
  nodes: TorProcess[];
  onion: OnionHost;
  client: TorProcess;
  socksPort: number;
  clientControlPort: number;
  torrcs: Record<string, string>;
}

function makeDir(path: string): string {
  // tor refuses a DataDirectory others can read.
  mkdirSync(path, { recursive: true, mode: 0o700 });
  return path;
}

async function layout(bin: TorBinaries, dir: string, services: OnionServiceSpec[], t0: number, timings: Partial<BootstrapTimings>): Promise<Layout> {
  const ports = await freePorts(AUTHORITIES * 3 + RELAYS * 2 + 1 + 2);
  const take = (): number => ports.shift() as number;
  const emptyFile = join(dir, 'empty');
  writeFileSync(emptyFile, '');
  const authSpecs = Array.from({ length: AUTHORITIES }, (_, i) => ({ name: `auth${i}`, orPort: take(), dirPort: take(), controlPort: take() }));
  const authorities = await Promise.all(
    authSpecs.map((a) => createAuthorityKeys(bin, makeDir(join(dir, a.name)), a.name, a.orPort, a.dirPort)),
  );
  timings.keysMs = performance.now() - t0;
  const common = (name: string, controlPort: number): CommonOptions => ({
    nickname: name, dataDir: join(dir, name), controlPort, authorities, emptyFile, ownerPid: process.pid, infoLog: name === 'onion' || name === 'client',
  });
  const torrcs: Record<string, string> = {};
  const node = (name: string, text: string): TorProcess => {
    makeDir(join(dir, name));
    const torrcPath = join(dir, name, 'torrc');
    writeFileSync(torrcPath, text);
    torrcs[name] = text;
    return new TorProcess({ name, dataDir: join(dir, name), torrcPath }, bin.tor, emptyFile);
  };
  const nodes = authSpecs.map((a) => node(a.name, authorityTorrc(common(a.name, a.controlPort), a.orPort, a.dirPort)));
  for (let i = 0; i < RELAYS; i++) {
    const orPort = take();
    const controlPort = take();
    nodes.push(node(`relay${i}`, relayTorrc(common(`relay${i}`, controlPort), orPort)));
  }
  const onionControl = take();
  const hsDirs = services.map((s) => ({ name: s.name, dir: join(dir, 'onion', `hs-${s.name}`), targetPort: s.targetPort }));
  const onionProc = node('onion', onionHostTorrc(common('onion', onionControl), hsDirs));
  const socksPort = take();
  const clientControlPort = take();
  const client = node('client', clientTorrc(common('client', clientControlPort), socksPort));
  return { dir, authorities, nodes, onion: new OnionHost(onionProc, onionControl, hsDirs), client, socksPort, clientControlPort, torrcs };
}

/**
 * One deadline for all services together. A failed attempt is followed by NEWNYM: after 0xF0
 * the HSDir asked (which did not have the descriptor yet) is not asked again for a while, and
 * after a restart of the onion host the client may hold circuits and a descriptor that lead
 * nowhere (seen: attempts hanging until their timeout, again and again). NEWNYM drops both.
 */
async function probeAll(l: Layout, timeoutMs: number): Promise<void> {
  const everyone = [...l.nodes, l.onion.proc, l.client];
  const until = performance.now() + timeoutMs;
  let control: TorControl | undefined;
  try {
    for (const [name, host] of Object.entries(l.onion.hosts)) {
      await pollUntil(`an HTTP answer from ${name} (${host}) through the client`, Math.max(1000, until - performance.now()), async () => {
        try {
          return await probeOnion(l.socksPort, host, 10_000);
        } catch (err) {
          control ??= await connectWhenReady(l.clientControlPort, join(l.client.dataDir, 'control_auth_cookie'), 5000);
          await control.newnym();
          throw err;
        }
      }, everyone, 1000);
    }
  } finally {
    control?.close();
  }
}

/**
 * A client that has not bootstrapped this long after its start is stuck, not slow (it takes
 * 2–3 s here). Seen about once in 20 starts: with six relays, the client's guard was also the
 * only last hop it would use, every circuit asked a relay to extend back to the hop it came
 * from, and nothing changed until a new consensus, 35 s later.
 */
const CLIENT_STUCK_MS = 12_000;

/** Starts the client; if it gets stuck, starts it again with fresh state (new guards), twice at most. */
async function bootClient(client: TorProcess, timeoutMs: number): Promise<number> {
  const until = performance.now() + timeoutMs;
  for (let restarts = 0; ; restarts++) {
    client.start();
    try {
      await client.waitForLog(/Bootstrapped 100%/, Math.max(1000, Math.min(CLIENT_STUCK_MS, until - performance.now())), 'Bootstrapped 100%');
      return restarts;
    } catch (err) {
      if (client.fatal || restarts >= 2 || performance.now() >= until) throw err;
      await client.stop();
      // Keep the torrc and the logs; drop guards, consensus and keys.
      for (const entry of readdirSync(client.dataDir)) {
        if (!['torrc', 'stdout.log', 'info.log'].includes(entry)) rmSync(join(client.dataDir, entry), { recursive: true, force: true });
      }
    }
  }
}

async function startOnce(bin: TorBinaries, dir: string, o: TorNetworkOptions, t0: number, attempt: number): Promise<{ l: Layout; timings: BootstrapTimings }> {
  const tm = { ...DEFAULT_TIMEOUTS, ...o.timeouts };
  const timings: Partial<BootstrapTimings> = { attempts: attempt };
  const l = await layout(bin, dir, o.services, t0, timings);
  try {
    for (const n of l.nodes) n.start();
    await waitForConsensus(l.nodes.slice(0, AUTHORITIES), AUTHORITIES + RELAYS, VOTING_INTERVAL_SECONDS, tm.consensusMs, l.nodes);
    timings.consensusMs = performance.now() - t0;
    const [clientRestarts] = await Promise.all([
      bootClient(l.client, tm.bootstrapMs).then((n) => {
        timings.clientBootstrappedMs = performance.now() - t0;
        return n;
      }),
      l.onion.start(tm.descriptorMs).then(() => l.onion.waitForUploads(tm.descriptorMs)),
    ]);
    timings.clientRestarts = clientRestarts;
    timings.descriptorsMs = performance.now() - t0;
    await probeAll(l, tm.probeMs);
    timings.readyMs = performance.now() - t0;
    return { l, timings: timings as BootstrapTimings };
  } catch (err) {
    await Promise.all([l.onion.stop(), ...l.nodes.map((n) => n.stop()), l.client.stop()]);
    throw err;
  }
}

/** Starts the network (bounded; redone, at most twice, when another process took one of our ports). */
export async function startTorNetwork(o: TorNetworkOptions): Promise<TorNetwork> {
  const bin = requireTorBinaries();
  const t0 = performance.now();
  const root = mkdtempSync(join(tmpdir(), 'leakwatch-tor-'));
  let started: { l: Layout; timings: BootstrapTimings } | undefined;
  for (let attempt = 1; !started; attempt++) {
    const dir = makeDir(join(root, `attempt-${attempt}`));
    try {
      started = await startOnce(bin, dir, o, t0, attempt);
    } catch (err) {
      if (err instanceof PortInUseError && attempt < 3) continue;
      throw new Error(`the private Tor network did not start (logs kept in ${dir}): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  const { l, timings } = started;
  const tm = { ...DEFAULT_TIMEOUTS, ...o.timeouts };
  const all = (): TorProcess[] => [...l.nodes, l.onion.proc, l.client];
  const cookiePath = join(l.client.dataDir, 'control_auth_cookie');
  const net: TorNetwork = {
    dir: l.dir,
    socksPort: l.socksPort,
    controlPort: l.clientControlPort,
    cookiePath,
    onionHosts: { ...l.onion.hosts },
    timings,
    authorities: l.authorities,
    torrcs: () => ({ ...l.torrcs }),
    pids: () => all().filter((n) => n.running).map((n) => n.pid as number),
    onionHostPid: () => l.onion.pid,
    clientControl: () => connectWhenReady(l.clientControlPort, cookiePath, 10_000),
    clientRunning: () => l.client.running,
    stopClient: () => l.client.stop(),
    async startClient(options = {}) {
      l.client.start();
      await l.client.waitForLog(/Opened Socks listener connection \(ready\)/, tm.bootstrapMs, 'the SOCKS listener');
      if (options.waitForBootstrap !== false) await l.client.waitForLog(/Bootstrapped 100%/, tm.bootstrapMs, 'Bootstrapped 100%');
    },
    async restartClient(options = {}) {
      await net.stopClient();
      await net.startClient(options);
    },
    stopOnionHost: (options) => l.onion.stop(options),
    async startOnionHost() {
      await l.onion.start(tm.descriptorMs);
      await l.onion.waitForUploads(tm.descriptorMs);
      await probeAll(l, tm.probeMs);
    },
    publishEphemeralOnion: (keyBlob, targetPort) => l.onion.addEphemeralService(keyBlob, targetPort, tm.descriptorMs),
    waitUntilReachable: (timeoutMs = tm.probeMs) => probeAll(l, timeoutMs),
    async stop() {
      await Promise.all([l.onion.stop(), ...l.nodes.map((n) => n.stop()), l.client.stop()]);
      if (!o.keepDir && !process.env.LEAKWATCH_KEEP_TOR_NETWORK) rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    },
  };
  return net;
}
