import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SiteSpec } from '../sites/schema.js';
import { builtinSitePath, builtinSiteIds, builtinSitesDir } from '../sites/builtin.js';
import { issuesToProblems } from './format-issues.js';
import { loadSiteFile, locateProblems, readYamlFile, type LoadedSite } from './load-site.js';
import type { ConfigProblem } from './problems.js';
import { redactProblems, resolveAgainst, resolveSitePaths } from './resolve.js';
import { BuiltinSiteRef, ConfigShell, type Limits, type LogSettings, type ScheduleSettings, type TorSettings } from './schema.js';
import type { EnvRef } from './yaml-source.js';

/**
 * Loads `leakwatch.yaml`: YAML → env substitution → validation of the whole file (every
 * problem collected, none thrown) → sites from three places → relative paths resolved.
 *
 * Sites come from:
 *   - `sites:` entries that are full definitions (inline);
 *   - `sites:` entries `{ builtin: <id>, ...overrides }`: a shipped definition from sites/,
 *     with top-level keys (mirrors, enabled, schedule, …) replaced;
 *   - every `<id>.yaml` in `sitesDir`, one definition per file.
 * Ids must be unique across all three.
 */

export interface LeakwatchConfig {
  /** Absolute path of the config file. */
  file: string;
  version: 1;
  tor: TorSettings;
  dataDir: string;
  fingerprintsDir: string;
  /** Names of sets in the store in fingerprintsDir; empty = every set. */
  fingerprintSets: string[];
  limits: Limits;
  sitesDir?: string;
  sites: LoadedSite[];
  /**
   * Default schedule and daemon settings (a site's own `schedule` wins). Optional so configs
   * built in code (benchmarks, demo) need not spell them out: readers fall back to
   * SCHEDULE_DEFAULTS (src/schedule/settings.ts).
   */
  schedule?: ScheduleSettings;
  log?: LogSettings;
}

export type ConfigLoadResult =
  | { ok: true; config: LeakwatchConfig; envRefs: EnvRef[] }
  | { ok: false; file: string; problems: ConfigProblem[] };

export interface LoadOptions {
  /** Variables for `${NAME}`; the CLI passes its io.env (never read from process.env here). */
  env?: NodeJS.ProcessEnv;
  /** Where shipped definitions are (tests point elsewhere). */
  builtinDir?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function loadConfig(configFile: string, options: LoadOptions = {}): ConfigLoadResult {
  const file = resolve(configFile);
  const env = options.env ?? {};
  const builtinDir = options.builtinDir ?? builtinSitesDir();
  const dir = dirname(file);
  const { source, problems: yamlProblems } = readYamlFile(file, env);
  if (!source) return { ok: false, file, problems: yamlProblems };
  const problems: ConfigProblem[] = [...yamlProblems];
  const envRefs: EnvRef[] = [...source.envRefs];
  const raw = source.value === null ? {} : source.value;

  const shell = ConfigShell.safeParse(raw);
  if (!shell.success) problems.push(...issuesToProblems(shell.error.issues, { raw, schema: ConfigShell, file }));

  const sites: LoadedSite[] = [];
  const where = new Map<string, string>();
  const claim = (id: string, label: string, path: string, problemFile: string): boolean => {
    const previous = where.get(id);
    if (previous) {
      problems.push({ file: problemFile, path, message: `duplicate site id "${id}" (also ${previous})` });
      return false;
    }
    where.set(id, label);
    return true;
  };

  const entries = isRecord(raw) && Array.isArray(raw.sites) ? (raw.sites as unknown[]) : [];
  entries.forEach((entry, i) => {
    const prefix = ['sites', i];
    if (isRecord(entry) && 'builtin' in entry) {
      const ref = BuiltinSiteRef.safeParse(entry);
      if (!ref.success) {
        problems.push(...issuesToProblems(ref.error.issues, { prefix, raw: entry, schema: BuiltinSiteRef, file }));
        return;
      }
      const basePath = builtinSitePath(ref.data.builtin, builtinDir);
      if (!basePath) {
        problems.push({ file, path: `sites[${i}].builtin`, message: `unknown built-in site (shipped: ${builtinSiteIds(builtinDir).join(', ') || 'none'})` });
        return;
      }
      const base = readYamlFile(basePath, env);
      if (!base.source || !isRecord(base.source.value)) {
        problems.push(...base.problems);
        return;
      }
      envRefs.push(...base.source.envRefs);
      const { builtin: _builtin, ...overrides } = entry;
      const merged = { ...base.source.value, ...overrides };
      const parsed = SiteSpec.safeParse(merged);
      if (!parsed.success) {
        problems.push(...issuesToProblems(parsed.error.issues, { prefix, raw: merged, schema: SiteSpec, file }));
        return;
      }
      if (claim(parsed.data.id, `sites[${i}]`, `sites[${i}].builtin`, file)) {
        sites.push({ site: resolveSitePaths(parsed.data, basePath), source: { kind: 'builtin', file: basePath } });
      }
      return;
    }
    const parsed = SiteSpec.safeParse(entry);
    if (!parsed.success) {
      problems.push(...issuesToProblems(parsed.error.issues, { prefix, raw: entry, schema: SiteSpec, file }));
      return;
    }
    if (claim(parsed.data.id, `sites[${i}]`, `sites[${i}].id`, file)) {
      sites.push({ site: resolveSitePaths(parsed.data, file), source: { kind: 'inline', file } });
    }
  });

  const sitesDir = shell.success && shell.data.sitesDir ? resolveAgainst(dir, shell.data.sitesDir) : undefined;
  if (sitesDir) {
    if (!existsSync(sitesDir) || !statSync(sitesDir).isDirectory()) {
      problems.push({ file, path: 'sitesDir', message: 'folder not found' });
    } else {
      for (const name of readdirSync(sitesDir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
        const siteFile = join(sitesDir, name);
        const loaded = loadSiteFile(siteFile, 'file', env);
        if (!loaded.ok) {
          problems.push(...loaded.problems);
          continue;
        }
        envRefs.push(...loaded.envRefs);
        if (claim(loaded.loaded.site.id, siteFile, 'id', siteFile)) sites.push(loaded.loaded);
      }
    }
  }

  if (problems.length > 0 || !shell.success) {
    const located = locateProblems(problems.filter((p) => p.file === file || p.file === undefined), source)
      .map((p, i) => ({ p, i }))
      .sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || a.i - b.i)
      .map(({ p }) => p);
    const others = problems.filter((p) => p.file !== undefined && p.file !== file);
    return { ok: false, file, problems: redactProblems([...located, ...others], envRefs) };
  }

  const c = shell.data;
  const fingerprintsDir = resolveAgainst(dir, c.fingerprintsDir);
  const config: LeakwatchConfig = {
    file,
    version: c.version,
    tor: c.tor.controlCookiePath ? { ...c.tor, controlCookiePath: resolveAgainst(dir, c.tor.controlCookiePath) } : c.tor,
    dataDir: resolveAgainst(dir, c.dataDir),
    fingerprintsDir,
    fingerprintSets: c.fingerprintSets,
    limits: c.limits,
    sites,
    schedule: c.schedule,
    log: c.log,
  };
  if (sitesDir) config.sitesDir = sitesDir;
  return { ok: true, config, envRefs };
}
