/**
 * torrc text for each role of the private network. The options and why they matter are in
 * ../shared/notes/tor.md; in short: a test network (TestingTorNetwork) that knows only our
 * three authorities, votes every few seconds, treats every relay as guard/exit/HSDir, never
 * lets loopback latency teach Tor a 40 ms circuit timeout, and binds only 127.0.0.1.
 * Nothing here can reach the real Tor network: there are no default authorities or fallback
 * directories once `DirAuthority` lines are given, and every exit policy accepts only
 * 127.0.0.0/8.
 */

/** Regular voting interval; the onion time period is 24 of these (8 minutes). */
export const VOTING_INTERVAL_SECONDS = 20;

export interface AuthorityInfo {
  nickname: string;
  orPort: number;
  dirPort: number;
  /** v3 identity: the `fingerprint` line of the authority certificate. */
  v3Ident: string;
  /** RSA identity fingerprint of the relay (40 hex digits). */
  rsaFingerprint: string;
}

export interface CommonOptions {
  nickname: string;
  dataDir: string;
  controlPort: number;
  authorities: AuthorityInfo[];
  /** An empty file: GeoIP tables cost ~3 s and ~10 MB per process and are useless here. */
  emptyFile: string;
  /** This Node process: each tor exits on its own if we die without cleaning up. */
  ownerPid: number;
  /** Also write an info-level log (info.log in the data directory). */
  infoLog?: boolean;
}

export function dirAuthorityLine(a: AuthorityInfo): string {
  return `DirAuthority ${a.nickname} orport=${a.orPort} no-v2 v3ident=${a.v3Ident} 127.0.0.1:${a.dirPort} ${a.rsaFingerprint}`;
}

function common(o: CommonOptions, socksPort: string): string[] {
  return [
    `# leakwatch private Tor network (test/helpers/tor-network): loopback only`,
    `Nickname ${o.nickname}`,
    `DataDirectory ${o.dataDir}`,
    'TestingTorNetwork 1',
    ...o.authorities.map(dirAuthorityLine),
    // Explicit even though DirAuthority lines already disable them: never the real network.
    'UseDefaultFallbackDirs 0',
    'AssumeReachable 1',
    'PathsNeededToBuildCircuits 0.67',
    'TestingDirAuthVoteExit *',
    // Only the authorities are HSDirs: relays run with DirCache 0 and would accept neither
    // descriptor uploads nor fetches (seen: every upload to them stayed pending, and a
    // client that asked one first wasted the attempt).
    `TestingDirAuthVoteHSDir ${o.authorities.map((a) => `$${a.rsaFingerprint}`).join(',')}`,
    'TestingDirAuthVoteGuard *',
    'TestingMinExitFlagThreshold 0',
    'V3AuthNIntervalsValid 2',
    // Six relays share one IP address; the default cap (2 per address) would hide four.
    'AuthDirMaxServersPerAddr 0',
    // On loopback the adaptive timeout learns ~40 ms and then kills healthy circuits.
    'LearnCircuitBuildTimeout 0',
    'CircuitBuildTimeout 10',
    socksPort,
    `ControlPort 127.0.0.1:${o.controlPort}`,
    'CookieAuthentication 1',
    `GeoIPFile ${o.emptyFile}`,
    `GeoIPv6File ${o.emptyFile}`,
    'ClientUseIPv6 0',
    'RunAsDaemon 0',
    'Log notice stdout',
    // Info logs only where diagnosing needs them (relays' are large and say little).
    ...(o.infoLog ? [`Log info file ${o.dataDir}/info.log`] : []),
    // The test network's addresses are all 127.0.0.1: nothing to hide in these logs.
    'SafeLogging 0',
    `__OwningControllerProcess ${o.ownerPid}`,
  ];
}

function relayLines(orPort: number): string[] {
  return [
    'Address 127.0.0.1',
    `ORPort 127.0.0.1:${orPort}`,
    'ExitRelay 1',
    'ExitPolicyRejectPrivate 0',
    // Exits only to loopback: onion traffic never needs an exit, and nothing can leave.
    'ExitPolicy accept 127.0.0.0/8:*',
    'ExitPolicy reject *:*',
  ];
}

export function authorityTorrc(o: CommonOptions, orPort: number, dirPort: number): string {
  return [
    ...common(o, 'SocksPort 0'),
    ...relayLines(orPort),
    `DirPort 127.0.0.1:${dirPort}`,
    'AuthoritativeDirectory 1',
    'V3AuthoritativeDirectory 1',
    'ContactInfo leakwatch-test-network@localhost',
    // First consensus ~3 s after start, then a new one every 20 s.
    `V3AuthVotingInterval ${VOTING_INTERVAL_SECONDS}`,
    'V3AuthVoteDelay 4',
    'V3AuthDistDelay 4',
    'TestingV3AuthInitialVotingInterval 5',
    'TestingV3AuthInitialVoteDelay 2',
    'TestingV3AuthInitialDistDelay 2',
    '',
  ].join('\n');
}

export function relayTorrc(o: CommonOptions, orPort: number): string {
  return [
    ...common(o, 'SocksPort 0'),
    ...relayLines(orPort),
    // Clients then fetch descriptors from the authorities, not from lagging relay caches
    // (removed 10–20 s stalls), and each relay saves ~70 MB.
    'DirCache 0',
    '',
  ].join('\n');
}

export interface OnionServiceSpec {
  /** Directory name under the onion host's data dir; one per site. */
  name: string;
  /** Loopback port the service forwards port 80 to. */
  targetPort: number;
}

export function onionHostTorrc(o: CommonOptions, services: { dir: string; targetPort: number }[]): string {
  return [
    ...common(o, 'SocksPort 0'),
    ...services.flatMap((s) => [`HiddenServiceDir ${s.dir}`, `HiddenServicePort 80 127.0.0.1:${s.targetPort}`]),
    '',
  ].join('\n');
}

export function clientTorrc(o: CommonOptions, socksPort: number): string {
  // ExtendedErrors: onion failures get their own SOCKS reply codes (0xF0–0xF7).
  return [...common(o, `SocksPort 127.0.0.1:${socksPort} ExtendedErrors`), ''].join('\n');
}
