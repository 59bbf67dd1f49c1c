import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the shipped site definitions live: `sites/` at the package root, one `<id>.yaml` per
 * site. A top-level folder (not under src/) so users can read and copy them, and so they are
 * found the same way from src/ (tsx) and from a build in dist/.
 */

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i += 1) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'leakwatch') return dir;
      } catch {
        // not ours; keep walking up
      }
    }
    dir = dirname(dir);
  }
  throw new Error('leakwatch package root not found (sites/ definitions are located relative to it)');
}

export function builtinSitesDir(): string {
  return join(packageRoot(), 'sites');
}

/** Ids of the shipped definitions (file names without .yaml), sorted. */
export function builtinSiteIds(dir = builtinSitesDir()): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^[a-z0-9][a-z0-9-]*\.ya?ml$/.test(f))
    .map((f) => f.replace(/\.ya?ml$/, ''))
    .sort();
}

/** Path of a shipped definition, or undefined when there is none with that id. */
export function builtinSitePath(id: string, dir = builtinSitesDir()): string | undefined {
  for (const ext of ['yaml', 'yml']) {
    const p = join(dir, `${id}.${ext}`);
    if (/^[a-z0-9][a-z0-9-]*$/.test(id) && existsSync(p)) return p;
  }
  return undefined;
}
