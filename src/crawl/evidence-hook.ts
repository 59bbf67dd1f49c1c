import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LeakwatchConfig } from '../config/load.js';
import { CustodyLog, evidencePaths, KEY_FILES, loadCustodyKey, loadSigningKey, loadVaultKey, packageFileName, SampleVault, writeEvidencePackage } from '../evidence/index.js';
import type { Capture, MatchRecord } from '../evidence/types.js';
import { VERSION } from '../cli/version.js';
import type { CrawlStore } from '../store/crawl-store.js';
import type { Logger, MatchedSample, SampleKeeper } from './types.js';

export interface EvidenceHook {
  keeper: SampleKeeper;
  onMatched(store: CrawlStore, m: MatchedSample): Promise<void>;
  close(): void;
}

/**
 * Evidence for the crawler, when the keys exist (`leakwatch keys init`): samples go to the
 * encrypted vault (never kept in the clear), and every capture behind a matched sample becomes
 * a signed WACZ package recorded in the custody log. Without keys, samples are kept as hashes
 * only and no packages are written; the run says so once.
 */
export function createEvidenceHook(config: LeakwatchConfig, env: NodeJS.ProcessEnv, log: Logger, clock: () => Date): EvidenceHook | undefined {
  const paths = evidencePaths(config.dataDir);
  if (!existsSync(join(paths.keys, KEY_FILES.signingPrivate))) {
    log.warn({ keys: paths.keys }, 'no evidence keys: samples are kept as hashes only and no evidence packages are written; run "leakwatch keys init"');
    return undefined;
  }
  const signing = loadSigningKey(paths.keys);
  const custody = CustodyLog.open(paths.custodyLog, { key: loadCustodyKey(paths.keys), clock, checkpointsDir: paths.checkpoints, actor: 'leakwatch crawl' });
  const vault = SampleVault.open({ dir: paths.vault, mode: 'encrypted', key: loadVaultKey(paths.keys, env), custodyLog: custody, clock });
  return {
    keeper: {
      async keep(path, meta) {
        const r = await vault.put(path, { siteId: meta.siteId, sourceUrl: meta.url });
        return r.id;
      },
    },
    async onMatched(store, m) {
      if (m.captureId === undefined || !m.page) return;
      const captureId = `${m.captureId}-s${m.sample.id}`;
      if (existsSync(join(paths.packages, packageFileName(captureId)))) return;
      const page = m.page;
      const capture: Capture = {
        captureId,
        siteId: m.siteId,
        mirror: m.mirrorUrl,
        targetUrl: page.url,
        finalUrl: page.finalUrl,
        redirects: page.redirects,
        transport: page.transport,
        socks: { host: config.tor.socksHost, port: config.tor.socksPort },
        startedAt: new Date(page.fetchedAt),
        finishedAt: new Date(new Date(page.fetchedAt).getTime() + Math.round(page.latencyMs)),
        request: { method: 'GET', url: page.url, headers: {} },
        response: { status: page.status, headers: headerMap(page.headers), body: page.body },
        ...(page.screenshot ? { screenshotPng: page.screenshot } : {}),
        ...(page.dom !== undefined ? { renderedDom: page.dom } : {}),
        tool: { name: 'leakwatch', version: VERSION },
        operator: 'leakwatch crawl',
      };
      const matches: MatchRecord[] = m.results.flatMap((r) =>
        r.matches.map((x) => ({
          sampleUrl: m.sample.url,
          sampleSha256: r.sha256,
          sampleBytes: r.size,
          set: x.set,
          document: x.document,
          documentSha256: x.documentSha256,
          method: x.method,
          score: x.score,
        })),
      );
      const pkg = await writeEvidencePackage(capture, matches, { outDir: paths.packages, signingKey: signing.privateKey, now: clock(), custodyLog: custody, matcher: { name: 'leakwatch', version: VERSION } });
      store.addWarning(m.siteId, m.runId, clock().toISOString(), 'evidence', `evidence package ${pkg.path} (sha256 ${pkg.sha256})`);
      log.info({ site: m.siteId, package: pkg.path, sha256: pkg.sha256 }, 'evidence package written');
    },
    close() {},
  };
}

function headerMap(h: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = v;
  return out;
}
