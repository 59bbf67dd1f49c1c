import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { SiteSpec, type SiteDefinition } from '../sites/schema.js';
import { builtinSitePath, builtinSiteIds, builtinSitesDir } from '../sites/builtin.js';
import { issuesToProblems } from './format-issues.js';
import type { ConfigProblem, PathSegment } from './problems.js';
import { redactProblems, resolveSitePaths } from './resolve.js';
import { parseYamlSource, type EnvRef, type YamlSource } from './yaml-source.js';

/**
 * Site definitions from files: one YAML document per site, named `<id>.yaml`. Used for the
 * shipped definitions (sites/) and for a config's `sitesDir`.
 */

export interface SiteSource {
  kind: 'inline' | 'builtin' | 'file';
  /** The file the definition (or its base, for a built-in with overrides) came from. */
  file: string;
}

export interface LoadedSite {
  site: SiteDefinition;
  source: SiteSource;
}

export type SiteLoadResult = { ok: true; loaded: LoadedSite; envRefs: EnvRef[] } | { ok: false; problems: ConfigProblem[] };

/** Adds line/column to problems from one YAML source. */
export function locateProblems(problems: ConfigProblem[], source: YamlSource): ConfigProblem[] {
  return problems.map((p) => {
    if (p.line !== undefined) return p;
    const segs: PathSegment[] = [];
    for (const m of p.path.matchAll(/([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)) segs.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3] ?? ''));
    const loc = source.locate(segs);
    return loc ? { ...p, file: source.file, ...loc } : { ...p, file: source.file };
  });
}

export function readYamlFile(file: string, env: NodeJS.ProcessEnv): { source?: YamlSource; problems: ConfigProblem[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { problems: [{ file, path: '', message: code === 'ENOENT' ? 'file not found' : `cannot read (${code ?? String(err)})` }] };
  }
  return parseYamlSource(text, file, env);
}

/** Loads one `<id>.yaml` site file; the id inside must match the file name. */
export function loadSiteFile(file: string, kind: 'builtin' | 'file', env: NodeJS.ProcessEnv): SiteLoadResult {
  const { source, problems } = readYamlFile(file, env);
  if (!source) return { ok: false, problems };
  const parsed = SiteSpec.safeParse(source.value);
  const all = [...problems];
  if (!parsed.success) all.push(...issuesToProblems(parsed.error.issues, { raw: source.value, schema: SiteSpec, file }));
  const expectedId = basename(file).replace(/\.ya?ml$/, '');
  if (parsed.success && parsed.data.id !== expectedId) {
    all.push({ file, path: 'id', message: `"${parsed.data.id}" does not match the file name (${expectedId}.yaml): sites are found by id` });
  }
  if (all.length > 0 || !parsed.success) return { ok: false, problems: redactProblems(locateProblems(all, source), source.envRefs) };
  return { ok: true, loaded: { site: resolveSitePaths(parsed.data, file), source: { kind, file } }, envRefs: source.envRefs };
}

/** A shipped definition by id. */
export function loadBuiltinSite(id: string, env: NodeJS.ProcessEnv = {}, dir = builtinSitesDir()): SiteLoadResult {
  const file = builtinSitePath(id, dir);
  if (!file) {
    return { ok: false, problems: [{ path: '', message: `no built-in site "${id}" (shipped: ${builtinSiteIds(dir).join(', ') || 'none'})` }] };
  }
  return loadSiteFile(file, 'builtin', env);
}
