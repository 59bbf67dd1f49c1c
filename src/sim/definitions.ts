import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadSiteFile } from '../config/index.js';
import { LeakwatchError } from '../errors.js';
import { builtinSitesDir, type SiteDefinition } from '../sites/index.js';
import { STYLE_TEMPLATE_ID } from './default-sites.js';
import type { SimSiteInfo, SiteStyle } from './types.js';

/**
 * Site definitions for simulated sites: the YAML files in sites/sim/ (one per default site,
 * parsed by the real loader, so they are exactly what a user's `sitesDir` would load). A
 * simulated site with another id (a benchmark's fifty blogs) uses its style's definition with
 * id, name and mirrors replaced.
 */

/** sites/sim/ beside the shipped definitions (not itself a shipped definition). */
export function simSitesDir(): string {
  return join(builtinSitesDir(), 'sim');
}

/** Loads sites/sim/<id>.yaml through the real site-file loader. */
export function loadSimDefinition(id: string, dir = simSitesDir()): SiteDefinition {
  const file = join(dir, `${id}.yaml`);
  const r = loadSiteFile(file, 'file', {});
  if (!r.ok) throw new LeakwatchError('E_CONFIG', `simulated site definition ${file} is invalid: ${r.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return r.loaded.site;
}

/** The definition that reads a simulated site: its own file if there is one, else its style's. */
export function simSiteDefinition(site: Pick<SimSiteInfo, 'id' | 'name' | 'style' | 'mirrors'>, dir = simSitesDir()): SiteDefinition {
  const own = existsSync(join(dir, `${site.id}.yaml`));
  const def = loadSimDefinition(own ? site.id : templateFor(site.style), dir);
  return { ...def, id: site.id, name: site.name, mirrors: site.mirrors.map((m) => m.url) };
}

export function templateFor(style: SiteStyle): string {
  return STYLE_TEMPLATE_ID[style];
}
