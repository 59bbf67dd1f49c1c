import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestCorpus } from '../../src/ingest/index.js';
import { defaultSimSites, simSitesDir, startSimulator, type Simulator, type SimSiteSpec, type SimulatorOptions } from '../../src/sim/index.js';
import { startSocksServer, type TestSocksServer } from '../../src/sim/socks-server.js';
import { generateCorpus } from '../../src/synth/index.js';
import { tempStore, TEST_KEY_HEX } from './store.js';

export interface CrawlEnv {
  dir: string;
  sim: Simulator;
  socks: TestSocksServer;
  configFile: string;
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export const SIM_SEED = 7;

/** Short timeouts and no politeness delay: everything is on loopback. */
const DEFAULT_TEST_LIMITS = { connectTimeoutMs: 5000, pageTimeoutMs: 20000, idleTimeoutMs: 5000, retries: 1, perHostDelayMs: 0, browserTimeoutMs: 30000 };

/** Simulator settings a test may change; the corpus, seed and sites are the helper's. */
export type CrawlEnvSimOptions = Partial<Pick<SimulatorOptions, 'hugeFileBytes' | 'zipBomb' | 'latencyMs' | 'slowLatencyMs' | 'requireOnionHost'>>;

export interface CrawlEnvOptions {
  siteIds?: string[];
  sites?: SimSiteSpec[];
  /** Appended to leakwatch.yaml (new top-level keys only: YAML refuses a repeated key). */
  extraConfig?: string;
  /** Merged into the `limits:` the helper writes (e.g. `{ maxSampleBytes: '100 MiB' }`). */
  limits?: Record<string, number | string>;
  simOptions?: CrawlEnvSimOptions;
  /** Site definitions to load instead of sites/sim/ (a test's edited copies). */
  sitesDir?: string;
}

/**
 * A stolen corpus fingerprinted into a real store, the leak-site simulator publishing from
 * that corpus, the loopback SOCKS proxy in front of it, and a leakwatch.yaml pointing at all
 * of it. Everything on 127.0.0.1, in `dir`.
 */
export async function startCrawlEnv(dir: string, options: CrawlEnvOptions = {}): Promise<CrawlEnv> {
  const corpusDir = join(dir, 'corpus');
  await generateCorpus(corpusDir, { seed: SIM_SEED, documents: 30 });
  const store = tempStore(dir);
  await ingestCorpus({ store, setName: 'clinic', paths: [corpusDir], workers: 2 });
  store.close();
  const wanted = options.siteIds;
  const sites = options.sites ?? defaultSimSites().filter((s) => !wanted || wanted.includes(s.id));
  const sim = await startSimulator({ seed: SIM_SEED, corpusDir, corpus: { seed: SIM_SEED, documents: 30 }, sites, slowLatencyMs: [50, 100], ...options.simOptions });
  const socks = await startSocksServer({ routes: sim.routes });
  const configFile = join(dir, 'leakwatch.yaml');
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(
    configFile,
    [
      `tor: { socksHost: 127.0.0.1, socksPort: ${socks.port} }`,
      'dataDir: data',
      'fingerprintsDir: fingerprints',
      `sitesDir: ${options.sitesDir ?? simSitesDir()}`,
      `limits: ${JSON.stringify({ ...DEFAULT_TEST_LIMITS, ...options.limits })}`,
      options.extraConfig ?? '',
    ].join('\n'),
  );
  return {
    dir,
    sim,
    socks,
    configFile,
    env: { ...process.env, LEAKWATCH_FINGERPRINT_KEY: TEST_KEY_HEX, XDG_CONFIG_HOME: join(dir, 'config') },
    close: async () => {
      await socks.close();
      await sim.close();
    },
  };
}
