import type { z } from 'zod';
import { formatPath, type ConfigProblem, type PathSegment } from './problems.js';

/**
 * zod issues → config problems with readable messages: `required`, `unknown key (did you mean
 * "listing"?)`, `must be one of: http, browser`. Messages never include the offending value:
 * it may be a secret that came from the environment.
 */

type Issue = z.core.$ZodIssue;

interface SchemaDef {
  type?: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  element?: unknown;
  valueType?: unknown;
  options?: unknown[];
  in?: unknown;
}

function defOf(schema: unknown): SchemaDef | undefined {
  return (schema as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;
}

/** The object keys a schema accepts at `path` (best effort, for "did you mean"). */
export function knownKeysAt(schema: unknown, path: readonly PathSegment[]): string[] {
  const keys = new Set<string>();
  const visit = (s: unknown, rest: readonly PathSegment[], depth: number): void => {
    const def = defOf(s);
    if (!def || depth > 64) return;
    switch (def.type) {
      case 'optional': case 'default': case 'nullable': case 'readonly': case 'prefault': case 'catch': case 'nonoptional':
        visit(def.innerType, rest, depth + 1);
        return;
      case 'pipe':
        visit(def.in, rest, depth + 1);
        return;
      case 'union':
        for (const o of def.options ?? []) visit(o, rest, depth + 1);
        return;
      case 'array':
        if (typeof rest[0] === 'number') visit(def.element, rest.slice(1), depth + 1);
        return;
      case 'record':
        if (rest.length > 0) visit(def.valueType, rest.slice(1), depth + 1);
        return;
      case 'object': {
        const shape = def.shape ?? {};
        if (rest.length === 0) for (const k of Object.keys(shape)) keys.add(k);
        else if (typeof rest[0] === 'string' && rest[0] in shape) visit(shape[rest[0]], rest.slice(1), depth + 1);
        return;
      }
      default:
        return;
    }
  };
  visit(schema, path, 0);
  return [...keys];
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}

function suggest(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(key, k);
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PathSegment, unknown>)[seg];
  }
  return v;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
}

function friendlyExpected(expected: string): string {
  const map: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', number: 'a number', int: 'an integer', boolean: 'true or false' };
  return map[expected] ?? expected;
}

function messageFor(issue: Issue, raw: unknown, fullPath: readonly PathSegment[]): string {
  switch (issue.code) {
    case 'invalid_type': {
      const v = valueAt(raw, fullPath);
      if (v === undefined) return 'required';
      return `expected ${friendlyExpected(issue.expected)}, got ${kindOf(v)}`;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'array') return `needs at least ${min} item${min === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return min <= 1 ? 'must not be empty' : `must be at least ${min} characters`;
      return `must be ${issue.inclusive === false ? '>' : '≥'} ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'array') return `at most ${max} items`;
      if (issue.origin === 'string') return `at most ${max} characters`;
      return `must be ${issue.inclusive === false ? '<' : '≤'} ${max}`;
    }
    case 'invalid_value':
      return `must be one of: ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'invalid_format':
      return issue.message.startsWith('Invalid') ? `invalid ${issue.format}` : issue.message;
    default:
      return issue.message;
  }
}

/** The union branch the user most likely meant: the one whose issues are not type mismatches at its root. */
function bestBranch(errors: Issue[][], depth: number): Issue[] {
  let best: Issue[] = errors[0] ?? [];
  let bestScore = Infinity;
  for (const branch of errors) {
    const rootTypeMismatch = branch.some((i) => i.code === 'invalid_type' && i.path.length === depth);
    const score = (rootTypeMismatch ? 1000 : 0) + branch.length;
    if (score < bestScore) {
      best = branch;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Converts issues to problems. `prefix` is where the validated value sits in the file
 * (e.g. `['sites', 2]`), `raw` the validated value (for required-vs-wrong-type), `schema`
 * the schema (for key suggestions).
 */
export function issuesToProblems(issues: readonly Issue[], opts: { prefix?: PathSegment[]; raw: unknown; schema: unknown; file?: string }): ConfigProblem[] {
  const prefix = opts.prefix ?? [];
  const out: ConfigProblem[] = [];
  const add = (issue: Issue, basePath: PathSegment[]): void => {
    const local = [...basePath, ...(issue.path as PathSegment[])];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      for (const sub of bestBranch(issue.errors as Issue[][], 0)) add(sub, local);
      return;
    }
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(opts.schema, local);
      for (const key of issue.keys) {
        const s = suggest(key, known);
        out.push({ path: formatPath([...prefix, ...local, key]), message: s ? `unknown key (did you mean "${s}"?)` : 'unknown key', file: opts.file });
      }
      return;
    }
    out.push({ path: formatPath([...prefix, ...local]), message: messageFor(issue, opts.raw, local), file: opts.file });
  };
  for (const issue of issues) add(issue, []);
  // Zod may report the same thing through several branches; show it once.
  const seen = new Set<string>();
  return out.filter((p) => {
    const k = `${p.path}\u0000${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
