import { isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Document, type Node } from 'yaml';
import { formatPath, type ConfigProblem, type PathSegment } from './problems.js';

/**
 * A YAML file parsed for configuration: syntax errors with line/column, `${ENV_VAR}`
 * substitution in values (never keys), and a way to map a data path back to a line.
 *
 * Substitution rules: `${NAME}` anywhere in a string value is replaced by the variable; a
 * value that is exactly `${NAME}` and unquoted takes the variable's YAML type (so
 * `socksPort: ${TOR_PORT}` is a number); `$${NAME}` is a literal `${NAME}`. A missing variable
 * is a problem naming the path. Values that came from the environment are remembered so that
 * messages show `${NAME}`, never the secret.
 */

export interface EnvRef {
  path: string;
  name: string;
  value: string;
}

export interface YamlSource {
  file: string;
  value: unknown;
  envRefs: EnvRef[];
  /** 1-based line/column of the node at `path` (or of its nearest existing parent). */
  locate(path: readonly PathSegment[]): { line: number; column: number } | undefined;
}

const ENV_RE = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const WHOLE_ENV_RE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

function substituteScalar(node: Scalar, path: PathSegment[], env: NodeJS.ProcessEnv, refs: EnvRef[], problems: ConfigProblem[], file: string): void {
  if (typeof node.value !== 'string' || !node.value.includes('${')) return;
  const text = node.value;
  const whole = WHOLE_ENV_RE.exec(text);
  const missing: string[] = [];
  const replaced = text.replace(ENV_RE, (match: string, escape: string, name: string) => {
    if (escape) return match.slice(1);
    const v = env[name];
    if (v === undefined) {
      missing.push(name);
      return match;
    }
    refs.push({ path: formatPath(path), name, value: v });
    return v;
  });
  for (const name of missing) problems.push({ file, path: formatPath(path), message: `environment variable ${name} is not set` });
  if (missing.length > 0) return;
  if (whole && node.type === Scalar.PLAIN) {
    // Unquoted `${X}` behaves as if the value had been written there: numbers stay numbers.
    const typed = parseDocument(replaced).toJS() as unknown;
    node.value = typeof typed === 'number' || typeof typed === 'boolean' ? typed : replaced;
  } else {
    node.value = replaced;
  }
}

function walk(node: unknown, path: PathSegment[], visit: (s: Scalar, p: PathSegment[]) => void): void {
  if (isScalar(node)) visit(node, path);
  else if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      walk(pair.value, [...path, key], visit);
    }
  } else if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...path, i], visit));
}

export function parseYamlSource(text: string, file: string, env: NodeJS.ProcessEnv): { source?: YamlSource; problems: ConfigProblem[] } {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => {
        const offset = e.pos[0];
        const pos = e.linePos?.[0] ?? (Number.isInteger(offset) ? lineCounter.linePos(offset) : undefined);
        const message = `YAML syntax: ${e.message.split('\n')[0] ?? e.message}`;
        return pos ? { file, path: '', message, line: pos.line, column: pos.col } : { file, path: '', message };
      }),
    };
  }
  const problems: ConfigProblem[] = [];
  const envRefs: EnvRef[] = [];
  walk(doc.contents, [], (scalar, p) => substituteScalar(scalar, p, env, envRefs, problems, file));
  const locate = (path: readonly PathSegment[]): { line: number; column: number } | undefined => {
    for (let n = path.length; n >= 0; n -= 1) {
      const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)) as Node | null | undefined;
      const offset = node?.range?.[0];
      if (offset !== undefined) {
        const pos = lineCounter.linePos(offset);
        return { line: pos.line, column: pos.col };
      }
    }
    return undefined;
  };
  for (const p of problems) {
    const loc = locate(pathFromString(p.path));
    if (loc) Object.assign(p, loc);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { problems: [{ file, path: '', message: `YAML: ${err instanceof Error ? err.message : String(err)}` }] };
  }
  return { source: { file, value: value ?? {}, envRefs, locate }, problems };
}

/** Inverse of formatPath for the simple paths this module produces. */
function pathFromString(path: string): PathSegment[] {
  const out: PathSegment[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(m[1] ?? m[3] ?? '');
  }
  return out;
}
