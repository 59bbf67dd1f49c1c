import { homedir } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { SiteDefinition } from '../sites/schema.js';
import type { EnvRef } from './yaml-source.js';
import type { ConfigProblem } from './problems.js';

/** Relative paths in a config mean "next to this file", so a config works from any cwd. */
export function resolveAgainst(baseDir: string, p: string): string {
  if (p === '~' || p.startsWith('~/')) return resolve(homedir(), p.slice(2));
  return isAbsolute(p) ? p : resolve(baseDir, p);
}

/** A site's hook module is relative to the file that defines the site. */
export function resolveSitePaths(site: SiteDefinition, definedIn: string): SiteDefinition {
  if (!site.hook) return site;
  return { ...site, hook: { ...site.hook, module: resolveAgainst(dirname(definedIn), site.hook.module) } };
}

/**
 * Replaces every value that came from an environment variable with `${NAME}` in problem
 * messages, so `config check` output can be pasted into a ticket without leaking a secret.
 */
export function redactProblems(problems: ConfigProblem[], refs: readonly EnvRef[]): ConfigProblem[] {
  const secrets = refs.filter((r) => r.value.length >= 3).sort((a, b) => b.value.length - a.value.length);
  if (secrets.length === 0) return problems;
  return problems.map((p) => {
    let message = p.message;
    for (const r of secrets) message = message.split(r.value).join(`\${${r.name}}`);
    return message === p.message ? p : { ...p, message };
  });
}
