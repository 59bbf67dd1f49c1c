/**
 * A private Tor network on loopback for end-to-end tests (docs/tor-testing.md): authorities,
 * relays, an onion-service host and a client, started and stopped by PID; plus what the
 * tests build on it — real onion services in front of the leak-site simulator, and leak
 * detectors for DNS and direct connections.
 */
export { startTorNetwork, NETWORK_START_TIMEOUT_MS, type BootstrapTimings, type TorNetwork, type TorNetworkOptions, type TorNetworkTimeouts } from './tor-network.js';
export { startTorCrawlEnv, TOR_SIM_SEED, TOR_TEST_LIMITS, type TorCrawlEnv, type TorCrawlEnvOptions } from './tor-crawl-env.js';
export { findTorBinaries, inCi, requireTorBinaries, skipTorSuite } from './tor-binaries.js';
export { startLeakMonitor, type LeakMonitor } from './leak-monitor.js';
export { startOnionGate, type GateConnection, type OnionGate } from './onion-gate.js';
export { TorControl } from './control-client.js';
export { livePids, pidAlive } from './process-registry.js';
export { recordTimings } from './timings-log.js';
