import type { HtmlField, JsonField } from './schema-fields.js';

/**
 * The value steps shared by HTML and JSON fields, applied to each raw string a selector or
 * path produced: whitespace, regex capture, template; then first-or-join.
 */

type Steps = Pick<HtmlField & JsonField, 'regex' | 'trim' | 'join' | 'template'>;

const regexCache = new Map<string, RegExp>();

function compile(source: string): RegExp {
  let re = regexCache.get(source);
  if (!re) {
    re = new RegExp(source, 'iu');
    regexCache.set(source, re);
  }
  return re;
}

/** One raw string through trim → regex → template; undefined when the regex does not match. */
export function applySteps(raw: string, steps: Steps): string | undefined {
  let value = steps.trim ? raw.replace(/[\s\u00a0\u200b]+/g, ' ').trim() : raw;
  if (steps.regex) {
    const m = compile(steps.regex).exec(value);
    if (!m) return undefined;
    value = m[1] ?? m[0];
    if (steps.trim) value = value.trim();
  }
  if (value === '') return undefined;
  if (steps.template) value = steps.template.split('{value}').join(value);
  return value;
}

/** All raw strings → the field's single value: the first non-empty, or all joined. */
export function combineValues(raws: string[], steps: Steps): string | undefined {
  const values: string[] = [];
  for (const raw of raws) {
    const v = applySteps(raw, steps);
    if (v === undefined) continue;
    if (steps.join === undefined) return v;
    values.push(v);
  }
  return values.length > 0 ? values.join(steps.join ?? '') : undefined;
}

/** All raw strings → every value (lists: images, file links). */
export function allValues(raws: string[], steps: Steps): string[] {
  return raws.map((r) => applySteps(r, steps)).filter((v): v is string => v !== undefined);
}
