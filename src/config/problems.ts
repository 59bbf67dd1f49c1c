/**
 * A configuration problem: where (data path, and file/line when known) and what.
 * Every problem in a file is collected and reported at once, so one `config check` run
 * shows everything to fix.
 */

export type PathSegment = string | number;

export interface ConfigProblem {
  /** Data path in the form `sites[2].listing.item` ('' for the whole file). */
  path: string;
  message: string;
  /** File the problem is in (the config, a sitesDir file, a built-in definition). */
  file?: string;
  line?: number;
  column?: number;
}

/** `['sites', 2, 'listing', 'item']` → `sites[2].listing.item`; odd keys as `headers["X-Y"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** One line per problem: `sites[2].listing.item: required (leakwatch.yaml:14:7)`. */
export function formatProblem(p: ConfigProblem, displayFile?: (file: string) => string): string {
  const where = p.file ? `${displayFile ? displayFile(p.file) : p.file}${p.line ? `:${p.line}:${p.column ?? 1}` : ''}` : '';
  const head = p.path ? `${p.path}: ${p.message}` : p.message;
  return where ? `${head} (${where})` : head;
}
