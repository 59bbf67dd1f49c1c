import { load } from 'cheerio';
import { z } from 'zod';
import { dateFormatProblem, isValidTimeZone } from './date-parse.js';
import { jsonPathProblem } from './json-path.js';

/**
 * Building blocks of a site definition: how one value is pulled out of an HTML element or a
 * JSON object. Everything is data (YAML), checked up front so `config check` reports a bad
 * selector, regex, date format or path before a crawl ever runs.
 */

const emptyDoc = load('');

export const CssSelector = z
  .string()
  .min(1)
  .superRefine((sel, ctx) => {
    try {
      emptyDoc(sel);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `invalid CSS selector: ${err instanceof Error ? err.message : String(err)}` });
    }
  })
  .describe('CSS selector (cheerio: CSS3 plus :contains(), :has(), :first, :last, :eq(n))');

export const RegexSource = z
  .string()
  .min(1)
  .superRefine((src, ctx) => {
    try {
      new RegExp(src, 'iu');
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `invalid regular expression: ${err instanceof Error ? err.message : String(err)}` });
    }
  })
  .describe('JavaScript regular expression, matched case-insensitively; the first capture group is the value (the whole match when there is no group)');

export const JsonPath = z
  .string()
  .superRefine((path, ctx) => {
    const problem = jsonPathProblem(path);
    if (problem) ctx.addIssue({ code: 'custom', message: `invalid JSON path: ${problem}` });
  })
  .describe('path into JSON: `data.items[*].title`, `[0]`, `meta["total-count"]`, `$` = the whole value');

export const DateFormat = z
  .string()
  .min(1)
  .superRefine((format, ctx) => {
    const problem = dateFormatProblem(format);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('`iso`, `epoch`, `epoch-ms`, `relative`, or a token pattern such as `yyyy-MM-dd`, `dd/MM/yyyy HH:mm`, `MMM d, yyyy`');

export const TimeZone = z
  .string()
  .refine(isValidTimeZone, { message: 'unknown time zone (use UTC, an offset like +03:00, or an IANA name like Europe/Moscow)' })
  .describe('zone of printed times without an offset');

/** Post-processing shared by HTML and JSON fields. */
const valueSteps = {
  regex: RegexSource.optional(),
  trim: z.boolean().default(true).describe('collapse whitespace and trim (default true)'),
  join: z.string().optional().describe('take every match and join them with this string (default: first match only)'),
  template: z
    .string()
    .refine((t) => t.includes('{value}'), { message: 'must contain {value}' })
    .optional()
    .describe('wrap the value, e.g. `/post/{value}`'),
};

export const HtmlFieldObject = z.strictObject({
  selector: CssSelector.optional().describe('CSS selector relative to the item (or page); omitted = the item itself'),
  attr: z.string().min(1).optional().describe('read this attribute instead of the text'),
  ...valueSteps,
});
export type HtmlField = z.output<typeof HtmlFieldObject>;

/** A field: a selector string, or an object with selector/attr/regex/trim/join/template. */
export const HtmlFieldSpec = z.union([
  CssSelector.transform((selector): HtmlField => ({ selector, trim: true })),
  HtmlFieldObject,
]);

export const HtmlDateField = z.strictObject({
  ...HtmlFieldObject.shape,
  format: DateFormat.default('iso'),
  timezone: TimeZone.default('UTC'),
});
export type HtmlDateFieldSpec = z.output<typeof HtmlDateField>;

export const HtmlDeadlineField = z.strictObject({
  ...HtmlFieldObject.shape,
  format: z.union([z.literal('countdown'), DateFormat]).default('countdown').describe('`countdown` ("5D 18h 29m") or a date format'),
  timezone: TimeZone.default('UTC'),
});
export type HtmlDeadlineFieldSpec = z.output<typeof HtmlDeadlineField>;

export const JsonFieldObject = z.strictObject({
  path: JsonPath,
  ...valueSteps,
});
export type JsonField = z.output<typeof JsonFieldObject>;

/** A JSON field: a path string, or an object with path/regex/trim/join/template. */
export const JsonFieldSpec = z.union([
  JsonPath.transform((path): JsonField => ({ path, trim: true })),
  JsonFieldObject,
]);

export const JsonDateField = z.strictObject({
  ...JsonFieldObject.shape,
  format: DateFormat.default('iso'),
  timezone: TimeZone.default('UTC'),
});
export type JsonDateFieldSpec = z.output<typeof JsonDateField>;

export const JsonDeadlineField = z.strictObject({
  ...JsonFieldObject.shape,
  format: z.union([z.literal('countdown'), DateFormat]).default('iso'),
  timezone: TimeZone.default('UTC'),
});
export type JsonDeadlineFieldSpec = z.output<typeof JsonDeadlineField>;

export const FieldName = z.string().regex(/^[A-Za-z][\w-]{0,63}$/, { message: 'field names are letters, digits, _ and -' });

/** How many items a listing page must yield before it counts as read. */
export const ExpectItems = z
  .strictObject({
    min: z.number().int().min(1).default(1).describe('fewer items than this = not a complete listing'),
    max: z.number().int().min(1).optional().describe('more items than this = the selector is too broad (warning)'),
  })
  .default({ min: 1 });
