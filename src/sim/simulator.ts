import { LeakwatchError } from '../errors.js';
import type { SiteDefinition } from '../sites/index.js';
import { DEFAULT_POSTS_PER_PAGE, defaultPostsFor, defaultSimSites, StolenPicker, type SampleContext } from './default-sites.js';
import { simSiteDefinition } from './definitions.js';
import { MirrorServer } from './mirror-server.js';
import { simOnionHost } from './onion-name.js';
import { route } from './router.js';
import { SampleStore } from './samples.js';
import { SimSite } from './site-state.js';
import { StolenCorpus } from './stolen-corpus.js';
import { QUEUE_COOKIE, queuePassValue } from './styles/queue.js';
import { STYLES } from './styles/index.js';
import type {
  DownMode, FaultSpec, LatencyRangeMs, RequestRecord, SimFile, SimMirrorInfo, SimPost, SimPostInput, SimSiteInfo, SimSiteSpec, SimulatorOptions,
} from './types.js';

/**
 * The leak-site simulator: one loopback HTTP server per mirror of every simulated site, state
 * tests can change at runtime, and a log of every request served. Deterministic by seed: the
 * same seed serves the same bytes (posts, samples, latencies in request order).
 */

/** The simulator's default clock: fixed, so pages and countdowns are byte-identical per seed. */
export const SIM_NOW = new Date('2024-06-01T12:00:00Z');
export const DEFAULT_CORPUS_DOCUMENTS = 30;
export const DEFAULT_HUGE_FILE_BYTES = 2 * 1024 ** 3;
export const DEFAULT_ZIP_BOMB = { members: 16, memberBytes: 64 * 1024 ** 2 } as const;
const DEFAULT_SLOW_MS: LatencyRangeMs = [1000, 2000];

export interface Simulator {
  readonly seed: number;
  readonly sites: readonly SimSiteInfo[];
  /** `<onion host>` → loopback port, for the test SOCKS proxy. */
  readonly hostMap: Map<string, number>;
  /** The same as a plain object: `startSocksServer({ routes: sim.routes })`. */
  readonly routes: Readonly<Record<string, number>>;
  /** Paths of the stolen corpus files (relative, as in generateCorpus's manifest). */
  readonly stolenFiles: readonly string[];
  site(siteId: string): SimSiteInfo;
  posts(siteId: string): readonly SimPost[];
  addPost(siteId: string, post: SimPostInput): SimPost;
  /** By slug, id or exact title; false when there was no such post. */
  removePost(siteId: string, key: string): boolean;
  /** `true` = `refuse` (port closed); `'reset'` = connections reset; `false` = up again. */
  setDown(siteId: string, mirror: number, down: boolean | DownMode): Promise<void>;
  setLatency(siteId: string, mirror: number, latencyMs: LatencyRangeMs): void;
  /** The next matching request(s) get a broken answer (see FaultSpec). */
  injectFault(siteId: string, fault: FaultSpec): void;
  clearFaults(siteId?: string): void;
  requests(filter?: { siteId?: string; mirror?: number }): readonly RequestRecord[];
  clearRequests(): void;
  /** The Cookie header value that lets a client past the queue site's captcha. */
  queuePass(siteId: string): string;
  /** Bytes of a published file (not for `huge` files: stream those over HTTP). */
  fileBytes(file: SimFile): Promise<Buffer>;
  /** The definition (from sites/sim/) that reads a simulated site, with its real mirrors. */
  definition(siteId: string): SiteDefinition;
  definitions(): SiteDefinition[];
  close(): Promise<void>;
}

interface SiteRuntime {
  state: SimSite;
  info: SimSiteInfo;
  mirrors: MirrorServer[];
}

function checkLatency(range: LatencyRangeMs): LatencyRangeMs {
  const [min, max] = range;
  if (!(min >= 0 && max >= min && max <= 600_000)) throw new LeakwatchError('E_USAGE', `latency must be [min, max] ms with 0 ≤ min ≤ max ≤ 600000, got [${min}, ${max}]`);
  return range;
}

async function loadCorpus(opts: SimulatorOptions): Promise<StolenCorpus> {
  if (opts.corpusDir && !opts.corpus) return StolenCorpus.fromDir(opts.corpusDir);
  return StolenCorpus.fromSpec(opts.corpus ?? { seed: opts.seed, documents: DEFAULT_CORPUS_DOCUMENTS }, opts.corpusDir);
}

export async function startSimulator(opts: SimulatorOptions): Promise<Simulator> {
  if (!Number.isInteger(opts.seed)) throw new LeakwatchError('E_USAGE', `seed must be an integer, got ${opts.seed}`);
  opts.signal?.throwIfAborted();
  const clock = (): Date => (typeof opts.now === 'function' ? opts.now() : opts.now ?? SIM_NOW);
  const specs = opts.sites ?? defaultSimSites();
  const ids = new Set<string>();
  for (const s of specs) {
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(s.id) || ids.has(s.id)) throw new LeakwatchError('E_USAGE', `simulated site ids must be unique slugs: ${s.id}`);
    ids.add(s.id);
  }
  const corpus = await loadCorpus(opts);
  const samples = new SampleStore(opts.seed, corpus);
  const sampleCtx: SampleContext = {
    seed: opts.seed,
    picker: new StolenPicker(opts.seed, corpus),
    hugeFileBytes: opts.hugeFileBytes ?? DEFAULT_HUGE_FILE_BYTES,
    zipBomb: opts.zipBomb ?? DEFAULT_ZIP_BOMB,
    unrelated: { next: 0 },
  };
  const latency = checkLatency(opts.latencyMs ?? [0, 0]);
  const slow = checkLatency(opts.slowLatencyMs ?? DEFAULT_SLOW_MS);
  const log: RequestRecord[] = [];
  let seq = 0;
  const runtimes = new Map<string, SiteRuntime>();
  const startNow = clock();

  const buildSite = (spec: SimSiteSpec): SiteRuntime => {
    const name = spec.name ?? spec.id;
    const state = new SimSite(spec.id, name, spec.style, STYLES[spec.style], spec.postsPerPage ?? DEFAULT_POSTS_PER_PAGE);
    const inputs = Array.isArray(spec.posts) ? spec.posts : defaultPostsFor(spec, startNow, sampleCtx);
    for (const p of inputs) state.addPost(p, startNow);
    const mirrorSpecs = spec.mirrors?.length ? spec.mirrors : [{}];
    const mirrors = mirrorSpecs.map((m, index) => new MirrorServer(
      {
        siteId: spec.id, index, onionHost: simOnionHost(spec.id, index), seed: opts.seed,
        latencyMs: checkLatency(m.latencyMs ?? (m.slow ? slow : latency)), down: m.down ?? false, requireOnionHost: opts.requireOnionHost ?? false,
      },
      {
        route: (req, url, mirror) => route(req, url, { site: state, seed: opts.seed, now: clock(), samples, mirror }),
        record: (r) => {
          const rec = { seq: ++seq, ...r };
          log.push(rec);
          return rec;
        },
      },
    ));
    const info: SimSiteInfo = { id: spec.id, name, style: spec.style, onionHost: '', port: 0, baseUrl: '', url: '', mirrors: [] };
    return { state, info, mirrors };
  };

  for (const spec of specs) runtimes.set(spec.id, buildSite(spec));
  const all = [...runtimes.values()].flatMap((r) => r.mirrors);
  const close = async (): Promise<void> => {
    await Promise.all(all.map((m) => m.close()));
  };
  try {
    await Promise.all(all.map((m) => m.start()));
  } catch (err) {
    await close();
    throw err;
  }

  const hostMap = new Map<string, number>();
  for (const rt of runtimes.values()) {
    const mirrors: SimMirrorInfo[] = rt.mirrors.map((m, index) => {
      const onionHost = simOnionHost(rt.info.id, index);
      hostMap.set(onionHost, m.port);
      return { index, onionHost, port: m.port, baseUrl: `http://127.0.0.1:${m.port}`, url: `http://${onionHost}/` };
    });
    const first = mirrors[0] as SimMirrorInfo;
    Object.assign(rt.info, { onionHost: first.onionHost, port: first.port, baseUrl: first.baseUrl, url: first.url, mirrors });
  }

  const runtime = (siteId: string): SiteRuntime => {
    const rt = runtimes.get(siteId);
    if (!rt) throw new LeakwatchError('E_USAGE', `no simulated site "${siteId}" (have: ${[...runtimes.keys()].join(', ')})`);
    return rt;
  };
  const mirrorOf = (siteId: string, mirror: number): MirrorServer => {
    const m = runtime(siteId).mirrors[mirror];
    if (!m) throw new LeakwatchError('E_USAGE', `simulated site "${siteId}" has no mirror ${mirror}`);
    return m;
  };

  let closed = false;
  const closeOnce = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    opts.signal?.removeEventListener('abort', onAbort);
    await close();
  };
  const onAbort = (): void => void closeOnce();
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  return {
    seed: opts.seed,
    sites: [...runtimes.values()].map((r) => r.info),
    hostMap,
    routes: Object.fromEntries(hostMap),
    stolenFiles: corpus.files.map((f) => f.path),
    site: (siteId) => runtime(siteId).info,
    posts: (siteId) => runtime(siteId).state.posts,
    addPost: (siteId, post) => runtime(siteId).state.addPost(post, clock()),
    removePost: (siteId, key) => runtime(siteId).state.removePost(key),
    setDown: (siteId, mirror, down) => mirrorOf(siteId, mirror).setDown(down === true ? 'refuse' : down),
    setLatency: (siteId, mirror, range) => { mirrorOf(siteId, mirror).latencyMs = checkLatency(range); },
    injectFault: (siteId, fault) => runtime(siteId).state.injectFault(fault),
    clearFaults: (siteId) => {
      for (const rt of siteId ? [runtime(siteId)] : runtimes.values()) rt.state.clearFaults();
    },
    requests: (filter = {}) => log.filter((r) => (filter.siteId === undefined || r.siteId === filter.siteId) && (filter.mirror === undefined || r.mirror === filter.mirror)),
    clearRequests: () => { log.length = 0; },
    queuePass: (siteId) => `${QUEUE_COOKIE}=${queuePassValue(opts.seed, runtime(siteId).info.id)}`,
    async fileBytes(file) {
      if (file.source.kind === 'huge') throw new LeakwatchError('E_USAGE', 'huge files are only streamed: fetch them over HTTP');
      const body = await samples.body(file.source);
      if (body.bytes) return body.bytes;
      const chunks: Buffer[] = [];
      for await (const c of body.stream?.(0, body.size - 1) ?? []) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    },
    definition: (siteId) => simSiteDefinition(runtime(siteId).info),
    definitions: () => [...runtimes.values()].map((r) => simSiteDefinition(r.info)),
    close: closeOnce,
  };
}
