import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadAlertSettings } from '../alert/index.js';
import { runCrawl, type SiteRunResult } from '../crawl/index.js';
import type { Logger } from '../crawl/types.js';
import { evidencePaths, initKeys, verifyEvidence } from '../evidence/index.js';
import { ingestCorpus } from '../ingest/ingest.js';
import { createProgress } from '../ingest/progress.js';
import { defaultSimSites, startSimulator, simSitesDir, type Simulator } from '../sim/index.js';
import { startSocksServer, type TestSocksServer } from '../sim/socks-server.js';
import { AlertStore } from '../store/alert-store.js';
import { listCases } from '../alert/case-queries.js';
import { defaultExecutablePath } from '../fetch/browser.js';
import { exportReport } from '../report/export-report.js';
import { FingerprintStore } from '../store/fingerprint-store.js';
import { generateCorpus, PATIENT_TABLE_SCHEMA_YAML, patientTableCsv } from '../synth/index.js';
import { fingerprintRecords, loadRecordSchema } from '../records/index.js';
import { alertRecordSummary } from '../store/sample-records.js';
import { requireConfigFile } from './demo-config.js';

export interface DemoOptions {
  /** Where to put everything; a throwaway temp dir when absent. */
  dir?: string;
  /** Keep the throwaway dir afterwards (always kept when `dir` is given). */
  keep?: boolean;
  documents?: number;
  seed?: number;
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
  log: Logger;
  signal?: AbortSignal;
}

export interface DemoResult {
  dir: string;
  kept: boolean;
  sites: SiteRunResult[];
  alerts: { id: number; site: string; severity: string; documents: number; records: number }[];
  packages: { path: string; verified: boolean }[];
  custodyLogVerified: boolean;
  reports: { path: string; sha256: string }[];
  ok: boolean;
  elapsedMs: number;
}

/** The simulated sites the demo crawls: every HTTP style (no browser needed), dead mirrors, a captcha. */
export const DEMO_SITES = ['sim-blog', 'sim-paged', 'sim-api', 'sim-mirrors', 'sim-queue', 'sim-latin1'] as const;

/**
 * `leakwatch demo`: the whole pipeline on embedded defaults, offline and without Tor. A
 * synthetic "stolen" corpus is generated and fingerprinted; the leak-site simulator publishes
 * samples of it behind a loopback SOCKS5 proxy standing in for Tor; the real crawler finds the
 * posts, downloads and matches the samples, raises alerts, keeps the samples encrypted and
 * writes signed evidence packages, which are then verified offline.
 */
export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const started = performance.now();
  const dir = o.dir ? resolve(o.dir) : mkdtempSync(join(tmpdir(), 'leakwatch-demo-'));
  const kept = Boolean(o.dir) || Boolean(o.keep);
  const seed = o.seed ?? 2024;
  const documents = o.documents ?? 60;
  const steps = 6;
  const step = (n: number, text: string): void => o.out(`\n[${n}/${steps}] ${text}\n`);
  let sim: Simulator | undefined;
  let socks: TestSocksServer | undefined;
  try {
    mkdirSync(dir, { recursive: true });
    const corpusDir = join(dir, 'stolen-corpus');
    step(1, `Generating a synthetic "stolen" corpus of ${documents} patient documents (no real data)`);
    const manifest = await generateCorpus(corpusDir, { seed, documents, ...(o.signal ? { signal: o.signal } : {}) });
    o.out(`      ${manifest.entries.length} files for ${manifest.patients.length} patients in ${corpusDir}\n`);

    step(2, 'Fingerprinting it (keyed hashes only: no document text is stored)');
    const keyFile = join(dir, 'keys', 'fingerprint.key');
    const fp = FingerprintStore.open(join(dir, 'fingerprints'), { create: true, env: {}, keyFile });
    try {
      const s = await ingestCorpus({
        store: fp,
        setName: 'demo-clinic',
        paths: [corpusDir],
        progress: createProgress(o.err, o.isTTY),
        onFailure: (f) => o.err(`      skipped ${f.path}: ${f.message}\n`),
        ...(o.signal ? { signal: o.signal } : {}),
      });
      o.out(`      ${s.documents} documents in ${(s.elapsedMs / 1000).toFixed(1)} s → ${join(dir, 'fingerprints')}\n`);
      // The clinic's patient table too (record-level matching: which patients are exposed).
      // Every corpus patient is in it, among others the corpus does not mention.
      const tableRows = Math.max(1000, manifest.patients.length * 4);
      writeFileSync(join(dir, 'patients.csv'), patientTableCsv(seed, tableRows));
      writeFileSync(join(dir, 'patients.schema.yaml'), PATIENT_TABLE_SCHEMA_YAML);
      const r = await fingerprintRecords({ store: fp, setName: 'demo-patients', schema: loadRecordSchema(join(dir, 'patients.schema.yaml')), files: [join(dir, 'patients.csv')], ...(o.signal ? { signal: o.signal } : {}) });
      o.out(`      patient table: ${r.rows} records, ${r.cells} keyed cells (no names or numbers stored)\n`);
    } finally {
      fp.close();
    }

    step(3, 'Starting the leak-site simulator behind a loopback SOCKS5 proxy (standing in for Tor)');
    sim = await startSimulator({
      seed,
      corpusDir,
      corpus: { seed, documents },
      sites: defaultSimSites().filter((s) => (DEMO_SITES as readonly string[]).includes(s.id)),
      slowLatencyMs: [100, 300],
    });
    socks = await startSocksServer({ routes: sim.routes });
    for (const s of sim.sites) o.out(`      ${s.id.padEnd(12)} ${s.style.padEnd(7)} http://${s.onionHost}/\n`);
    const data = join(dir, 'data');
    const configFile = requireConfigFile(dir, { socksPort: socks.port, sitesDir: simSitesDir(), sites: [...DEMO_SITES] });
    initKeys(evidencePaths(data).keys);

    step(4, 'Crawling every site through the proxy: posts, samples, matches, alerts, evidence');
    const env = { LEAKWATCH_FINGERPRINT_KEY_FILE: keyFile };
    const settings = loadAlertSettings(configFile, env);
    if (!settings.ok) throw new Error(`demo config is invalid: ${settings.problems.map((p) => p.message).join('; ')}`);
    const crawl = await runCrawl({
      config: settings.config,
      log: o.log,
      env,
      alerts: { settings: settings.alerts, secrets: settings.envSecrets },
      siteIds: [...DEMO_SITES],
      ...(o.signal ? { signal: o.signal } : {}),
    });
    for (const r of crawl.sites) {
      o.out(
        `      ${r.siteId.padEnd(12)} ${r.status.padEnd(12)} ${String(r.postsSeen).padStart(3)} posts, ${String(r.samplesNew).padStart(2)} samples, ${String(r.matchesNew).padStart(2)} matches` +
          `${r.reason ? `  (${r.reason.slice(0, 90)})` : ''}\n`,
      );
    }

    step(5, 'Verifying the evidence packages and the custody log offline');
    const paths = evidencePaths(data);
    const packages: DemoResult['packages'] = [];
    for (const name of readdirSync(paths.packages).filter((f) => f.endsWith('.wacz')).sort()) {
      const v = await verifyEvidence({ packagePath: join(paths.packages, name), logPath: paths.custodyLog, keysDir: paths.keys });
      packages.push({ path: join(paths.packages, name), verified: v.ok });
    }
    const logCheck = await verifyEvidence({ logPath: paths.custodyLog, keysDir: paths.keys });
    const alertStore = AlertStore.open(data);
    const alerts = alertStore.listAlerts().map((a) => ({ id: a.id, site: a.siteId, severity: a.severity, documents: a.documentCount ?? 0, records: alertRecordSummary(alertStore.db, a.id).count }));
    o.out(`      ${packages.filter((p) => p.verified).length} of ${packages.length} packages verified; custody log ${logCheck.ok ? 'intact' : 'NOT intact'}\n`);
    for (const a of alerts) o.out(`      alert #${a.id}: ${a.site}, severity ${a.severity}, ${a.documents} stolen document(s) exposed, ${a.records} patient record(s)\n`);

    step(6, 'Writing the legal report of the largest case (HTML; PDF too when Chromium is installed)');
    const reports: DemoResult['reports'] = [];
    try {
      const biggest = listCases(alertStore).sort((a, b) => b.alerts - a.alerts || b.documents - a.documents)[0];
      if (biggest) {
        const formats: ('html' | 'pdf')[] = defaultExecutablePath() ? ['html', 'pdf'] : ['html'];
        for (const format of formats) {
          const r = await exportReport(alertStore, { dataDir: data, caseId: biggest.id, format, cwd: dir, actor: 'leakwatch demo', now: new Date(), ...(o.signal ? { signal: o.signal } : {}) });
          if (r) {
            reports.push({ path: r.path, sha256: r.sha256 });
            o.out(`      ${r.path} (sha256 ${r.sha256.slice(0, 16)}…)\n`);
          }
        }
        if (formats.length === 1) o.out('      (no Chromium at /usr/bin/chromium: PDF skipped; `apt-get install chromium` to get it)\n');
      }
    } finally {
      alertStore.close();
    }

    const okSites = crawl.sites.filter((r) => r.siteId !== 'sim-queue').every((r) => r.status === 'ok');
    const queue = crawl.sites.find((r) => r.siteId === 'sim-queue');
    const ok = okSites && queue?.status === 'needs-human' && alerts.length > 0 && packages.length > 0 && packages.every((p) => p.verified) && logCheck.ok && reports.length > 0;
    o.out(
      `\n${ok ? 'Demo complete' : 'Demo finished with problems'}: ${crawl.sites.reduce((n, r) => n + r.postsSeen, 0)} posts on ${crawl.sites.length} sites, ` +
        `${alerts.length} alerts, ${packages.length} signed evidence packages, ${reports.length} report file(s). The captcha site was reported as needing a human, the dead mirrors were skipped.\n` +
        `Time: ${((performance.now() - started) / 1000).toFixed(1)} s. ${kept ? `Everything is in ${dir} (config: ${configFile}).` : 'Temporary files removed (use --keep or --dir to keep them).'}\n`,
    );
    return { dir, kept, sites: crawl.sites, alerts, packages, custodyLogVerified: logCheck.ok, reports, ok, elapsedMs: performance.now() - started };
  } finally {
    await socks?.close();
    await sim?.close();
    if (!kept) rmSync(dir, { recursive: true, force: true });
  }
}
