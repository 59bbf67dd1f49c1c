import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestCorpus } from '../../../src/ingest/index.js';
import { defaultSimSites, loadSimDefinition, startSimulator, type SimSiteSpec, type Simulator } from '../../../src/sim/index.js';
import type { SiteDefinition } from '../../../src/sites/index.js';
import { generateCorpus } from '../../../src/synth/index.js';
import { tempStore, TEST_KEY_HEX } from '../store.js';
import { startOnionGate, type OnionGate } from './onion-gate.js';
import { startTorNetwork, type TorNetwork, type TorNetworkOptions } from './tor-network.js';

/**
 * The real-Tor version of test/helpers/crawl-env.ts: a stolen corpus fingerprinted into a
 * store, the leak-site simulator publishing from it, each simulated site published as a real
 * v3 onion service of the private Tor network (behind an onion gate that records who
 * connected), and a leakwatch.yaml whose site definitions — loaded from sites/sim/ — name the
 * onion addresses Tor generated instead of the simulator's fixed ones. Nothing in the config
 * can reach a site except through the client's SOCKS port: the simulator's ports appear
 * nowhere in it.
 */

export const TOR_SIM_SEED = 7;

/**
 * Timeouts for real Tor on a busy 2-core machine: a first connection to an onion service
 * builds two circuits (~0.2–1 s here, more under load). retries 1: a flaky circuit gets one
 * more go, a dead service fails within one connect timeout plus backoff.
 */
export const TOR_TEST_LIMITS = {
  connectTimeoutMs: 20_000,
  pageTimeoutMs: 60_000,
  idleTimeoutMs: 20_000,
  sampleIdleTimeoutMs: 20_000,
  browserTimeoutMs: 60_000,
  retries: 1,
  perHostDelayMs: 0,
};

export interface TorCrawlEnvOptions {
  /** Simulated sites (ids of the default set) to publish as onion services… */
  siteIds?: string[];
  /** …or the specs of the sites to simulate (each id needs a sites/sim/<id>.yaml definition). */
  sites?: SimSiteSpec[];
  /** Merged into `limits:`. */
  limits?: Record<string, number | string>;
  /** Appended to leakwatch.yaml (new top-level keys only). */
  extraConfig?: string;
  network?: Partial<Pick<TorNetworkOptions, 'timeouts'>>;
}

export interface TorCrawlEnv {
  dir: string;
  sim: Simulator;
  network: TorNetwork;
  /** Site id → its gate (connections the onion host opened to the site). */
  gates: Map<string, OnionGate>;
  configFile: string;
  env: NodeJS.ProcessEnv;
  /** `http://<onion>/` of a site, as Tor published it. */
  mirrorUrl(siteId: string): string;
  /** The definition the config uses for a site (its sim definition with the real onion). */
  definition(siteId: string): SiteDefinition;
  /**
   * Writes another config in `dir` with the given site definitions (e.g. a mirror that does
   * not exist) and the same Tor, stores and limits; answers its path.
   */
  writeConfig(name: string, sites: SiteDefinition[], options?: { limits?: Record<string, number | string>; extraConfig?: string }): string;
  /** Forgets the simulator's and the gates' logs (the harness's readiness probes are in them). */
  clearLogs(): void;
  close(): Promise<void>;
}

export async function startTorCrawlEnv(dir: string, options: TorCrawlEnvOptions): Promise<TorCrawlEnv> {
  const corpusDir = join(dir, 'corpus');
  await generateCorpus(corpusDir, { seed: TOR_SIM_SEED, documents: 30 });
  const store = tempStore(dir);
  await ingestCorpus({ store, setName: 'clinic', paths: [corpusDir], workers: 2 });
  store.close();
  const specs = options.sites ?? defaultSimSites().filter((s) => options.siteIds?.includes(s.id));
  if (specs.length === 0) throw new Error('startTorCrawlEnv: no simulated site selected');
  const sim = await startSimulator({ seed: TOR_SIM_SEED, corpusDir, corpus: { seed: TOR_SIM_SEED, documents: 30 }, sites: specs, slowLatencyMs: [50, 100] });
  const gates = new Map<string, OnionGate>();
  let network: TorNetwork | undefined;
  try {
    for (const s of specs) {
      gates.set(s.id, await startOnionGate(s.id, sim.site(s.id).port, () => {
        const pid = network?.onionHostPid();
        return pid ? [pid] : [];
      }));
    }
    network = await startTorNetwork({ services: specs.map((s) => ({ name: s.id, targetPort: gates.get(s.id)!.port })), ...options.network });
  } catch (err) {
    await Promise.all([...gates.values()].map((g) => g.close()));
    await sim.close();
    throw err;
  }
  const net = network;
  const definition = (siteId: string): SiteDefinition => ({ ...loadSimDefinition(siteId), mirrors: [`http://${net.onionHosts[siteId]}/`] });
  mkdirSync(join(dir, 'data'), { recursive: true });
  const writeConfig: TorCrawlEnv['writeConfig'] = (name, sites, o = {}) => {
    const file = join(dir, name);
    writeFileSync(
      file,
      [
        // The control port is named too (cookie auth): what a production config would carry.
        `tor: { socksHost: 127.0.0.1, socksPort: ${net.socksPort}, controlPort: ${net.controlPort}, controlCookiePath: ${JSON.stringify(net.cookiePath)} }`,
        'dataDir: data',
        'fingerprintsDir: fingerprints',
        `limits: ${JSON.stringify({ ...TOR_TEST_LIMITS, ...options.limits, ...o.limits })}`,
        // Inline definitions (JSON is YAML): only these sites, no sitesDir with fixed onions.
        `sites: ${JSON.stringify(sites)}`,
        options.extraConfig ?? '',
        o.extraConfig ?? '',
      ].join('\n'),
    );
    return file;
  };
  const configFile = writeConfig('leakwatch.yaml', specs.map((s) => definition(s.id)));
  const env: TorCrawlEnv = {
    dir,
    sim,
    network: net,
    gates,
    configFile,
    env: { ...process.env, LEAKWATCH_FINGERPRINT_KEY: TEST_KEY_HEX, XDG_CONFIG_HOME: join(dir, 'config') },
    mirrorUrl: (siteId) => `http://${net.onionHosts[siteId]}/`,
    definition,
    writeConfig,
    clearLogs: () => {
      sim.clearRequests();
      for (const g of gates.values()) g.connections.length = 0;
    },
    close: async () => {
      await net.stop();
      await Promise.all([...gates.values()].map((g) => g.close()));
      await sim.close();
    },
  };
  env.clearLogs();
  return env;
}
