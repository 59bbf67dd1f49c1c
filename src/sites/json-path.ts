/**
 * A tiny path syntax into JSON values, for JSON-API sites — no eval, no filters, no recursion:
 *   `data.items[*].title`, `[*]`, `result[0].name`, `meta["total-count"]`, `$` (the root).
 * `[*]` fans out over every element of an array (or every value of an object), so a path can
 * yield several values; a missing step yields none. Only own properties are followed, so
 * `__proto__`/`constructor` never reach the prototype.
 */

export type PathSegment = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'all' };

const cache = new Map<string, PathSegment[]>();

/** Parses a path; throws with a readable message on bad syntax. */
export function parseJsonPath(path: string): PathSegment[] {
  const hit = cache.get(path);
  if (hit) return hit;
  const segments: PathSegment[] = [];
  let i = 0;
  const src = path.trim();
  if (src.startsWith('$')) i = 1;
  while (i < src.length) {
    const ch = src[i];
    if (ch === '.') {
      i += 1;
      const m = /^[A-Za-z_$][\w$-]*|^\*/.exec(src.slice(i));
      if (!m) throw new Error(`expected a key after "." at position ${i}`);
      segments.push(m[0] === '*' ? { kind: 'all' } : { kind: 'key', key: m[0] });
      i += m[0].length;
    } else if (ch === '[') {
      const rest = src.slice(i);
      const m = /^\[(?:(\*)|(\d+)|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\]/.exec(rest);
      if (!m) throw new Error(`expected [*], [number] or ["key"] at position ${i}`);
      if (m[1]) segments.push({ kind: 'all' });
      else if (m[2] !== undefined) segments.push({ kind: 'index', index: Number(m[2]) });
      else segments.push({ kind: 'key', key: (m[3] ?? m[4] ?? '').replace(/\\(.)/g, '$1') });
      i += m[0].length;
    } else if (i === 0 || (i === 1 && src.startsWith('$'))) {
      // A leading bare key: `data.items` is `.data.items`.
      const m = /^[A-Za-z_$][\w$-]*/.exec(src.slice(i));
      if (!m) throw new Error(`unexpected "${ch ?? ''}" at position ${i}`);
      segments.push({ kind: 'key', key: m[0] });
      i += m[0].length;
    } else {
      throw new Error(`unexpected "${ch ?? ''}" at position ${i}`);
    }
  }
  cache.set(path, segments);
  return segments;
}

/** For the schema: undefined when the path parses, else the problem. */
export function jsonPathProblem(path: string): string | undefined {
  try {
    parseJsonPath(path);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every value the path reaches from `root`, in document order. */
export function evaluateJsonPath(root: unknown, path: string): unknown[] {
  let current: unknown[] = [root];
  for (const seg of parseJsonPath(path)) {
    const next: unknown[] = [];
    for (const value of current) {
      if (seg.kind === 'all') {
        if (Array.isArray(value)) next.push(...(value as unknown[]));
        else if (isRecord(value)) next.push(...Object.values(value));
      } else if (seg.kind === 'index') {
        if (Array.isArray(value) && seg.index < value.length) next.push(value[seg.index]);
      } else if (isRecord(value) && Object.hasOwn(value, seg.key)) {
        next.push(value[seg.key]);
      }
    }
    current = next;
  }
  return current;
}
