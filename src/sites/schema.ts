import cron from 'node-cron';
import { z } from 'zod';
import { checkMirrorUrl } from './mirror.js';
import {
  CssSelector, ExpectItems, FieldName, HtmlDateField, HtmlDeadlineField, HtmlFieldSpec, JsonDateField,
  JsonDeadlineField, JsonFieldSpec, JsonPath, RegexSource, TimeZone,
} from './schema-fields.js';

/**
 * A site definition: everything needed to crawl one leak site, as data. Adding a site means
 * writing one YAML file of this shape; `hook` exists for the rare site that data cannot describe.
 */

export const SITE_ID_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const SiteId = z.string().regex(SITE_ID_RE, { message: 'must be a slug: lowercase letters, digits and -, starting with a letter or digit' });

const PageTemplate = z
  .string()
  .refine((t) => t.includes('{page}'), { message: 'must contain {page}' })
  .describe('URL of page N relative to the mirror, e.g. `/?page={page}` or `/api/posts?page={page}`');

export const Pagination = z
  .strictObject({
    next: HtmlFieldSpec.optional().describe('the "next page" link (attribute href unless attr says otherwise)'),
    template: PageTemplate.optional(),
    startPage: z.number().int().min(0).default(1),
    maxPages: z.number().int().min(1).max(1000).default(10).describe('page cap per crawl'),
  })
  .superRefine((p, ctx) => {
    if ((p.next === undefined) === (p.template === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'set exactly one of next (a link selector) or template (a URL with {page})' });
    }
  });

export const ListingSpec = z.strictObject({
  path: z.string().default('').describe('listing page relative to the mirror URL ("" = the mirror URL itself)'),
  item: CssSelector.describe('one element per victim post'),
  title: HtmlFieldSpec,
  postUrl: HtmlFieldSpec.optional().describe('link to the post page (attribute href unless attr says otherwise), resolved against the page URL'),
  id: HtmlFieldSpec.optional().describe('a stable id the site itself prints; preferred over the URL for post identity'),
  date: HtmlDateField.optional(),
  description: HtmlFieldSpec.optional(),
  deadline: HtmlDeadlineField.optional(),
  dataSize: HtmlFieldSpec.optional().describe('text like "1.2 TB", parsed into bytes'),
  fields: z.record(FieldName, HtmlFieldSpec).default({}).describe('any further values to keep, by name'),
  pagination: Pagination.optional(),
  expectItems: ExpectItems,
});

export const ApiSpec = z.strictObject({
  endpoint: z.string().min(1).describe('JSON endpoint relative to the mirror; may contain {page}'),
  items: JsonPath.describe('path to the posts, e.g. `data.items[*]` or `[*]`'),
  title: JsonFieldSpec,
  postUrl: JsonFieldSpec.optional().describe('post page URL or path (use template to build one from an id), resolved against the endpoint URL'),
  id: JsonFieldSpec.optional().describe('the site\'s own post id; preferred over the URL for post identity'),
  date: JsonDateField.optional(),
  description: JsonFieldSpec.optional(),
  deadline: JsonDeadlineField.optional(),
  dataSize: JsonFieldSpec.optional(),
  fields: z.record(FieldName, JsonFieldSpec).default({}),
  pagination: z
    .strictObject({ template: PageTemplate, startPage: z.number().int().min(0).default(1), maxPages: z.number().int().min(1).max(1000).default(10) })
    .optional(),
  expectItems: ExpectItems,
});

export const PostSpec = z.strictObject({
  description: HtmlFieldSpec.optional(),
  images: HtmlFieldSpec.optional().describe('proof images: every match, attribute src unless attr says otherwise'),
  files: z
    .strictObject({
      item: CssSelector.describe('one element per downloadable file'),
      url: HtmlFieldSpec.optional().describe('default: href of the item (or its first link)'),
      name: HtmlFieldSpec.optional(),
      size: HtmlFieldSpec.optional().describe('size text, parsed into bytes'),
    })
    .optional(),
  fileTree: HtmlFieldSpec.optional().describe('file-tree listing text (kept as-is, newlines preserved)'),
  fields: z.record(FieldName, HtmlFieldSpec).default({}),
});

export const NoContentSpec = z
  .strictObject({
    minBodyChars: z.number().int().min(0).default(512).describe('a body shorter than this with no items = no content'),
    minTextChars: z.number().int().min(0).default(64).describe('visible text shorter than this with no items = no content'),
    patterns: z.array(RegexSource).default([]).describe('extra regexes for error/parked/placeholder pages (matched on title + visible text)'),
    defaultPatterns: z.boolean().default(true).describe('also use the built-in error/parked/SPA-shell patterns'),
  })
  .default({ minBodyChars: 512, minTextChars: 64, patterns: [], defaultPatterns: true });

export const NeedsHumanSpec = z
  .strictObject({
    patterns: z.array(RegexSource).default([]).describe('extra regexes for captcha / DDoS-queue pages'),
    defaultPatterns: z.boolean().default(true),
  })
  .default({ patterns: [], defaultPatterns: true });

export const ScheduleSpec = z.strictObject({
  cron: z
    .string()
    .refine((expr) => cron.validate(expr), { message: 'invalid cron expression (5 fields: minute hour day month weekday, or 6 with seconds)' }),
  timezone: TimeZone.default('UTC'),
});

export const HookSpec = z.strictObject({
  module: z.string().min(1).describe('path of an ES module (relative to the file defining the site)'),
  export: z.string().min(1).default('default').describe('name of the exported function'),
});

export const SiteSpec = z
  .strictObject({
    id: SiteId,
    name: z.string().min(1),
    enabled: z.boolean().default(true),
    mirrors: z.array(z.string()).min(1).describe('base URLs; v3 .onion addresses are checksum-verified'),
    allowClearnet: z.boolean().default(false).describe('allow non-onion mirrors (still fetched through Tor)'),
    transport: z.enum(['http', 'browser']).default('http'),
    browser: z
      .strictObject({
        waitForSelector: CssSelector.optional().describe('wait until this matches before capturing'),
        settleMs: z.number().int().min(0).max(120_000).default(2000),
      })
      .optional(),
    schedule: ScheduleSpec.optional(),
    headers: z.record(z.string(), z.string()).optional().describe('extra request headers (e.g. a session cookie: use ${ENV_VAR})'),
    listing: ListingSpec.optional(),
    api: ApiSpec.optional(),
    post: PostSpec.optional(),
    noContent: NoContentSpec,
    needsHuman: NeedsHumanSpec,
    hook: HookSpec.optional(),
    notes: z.string().optional().describe('free text: provenance, quirks'),
  })
  // Runs even when other keys have problems (`when`), so one check lists every problem; the
  // value may then be partly invalid, hence the defensive reads.
  .superRefine(
    (site, ctx) => {
      const raw = site as Partial<Record<string, unknown>>;
      const allowClearnet = raw.allowClearnet === true;
      if (Array.isArray(raw.mirrors)) {
        raw.mirrors.forEach((mirror: unknown, i: number) => {
          if (typeof mirror !== 'string') return;
          const problem = checkMirrorUrl(mirror, allowClearnet);
          if (problem) ctx.addIssue({ code: 'custom', path: ['mirrors', i], message: problem });
        });
      }
      if ((raw.listing === undefined) === (raw.api === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['listing'], message: 'set exactly one of listing (HTML) or api (JSON)' });
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );

export type SiteDefinition = z.output<typeof SiteSpec>;
export type SiteDefinitionInput = z.input<typeof SiteSpec>;
export type ListingDefinition = z.output<typeof ListingSpec>;
export type ApiDefinition = z.output<typeof ApiSpec>;
export type PostDefinition = z.output<typeof PostSpec>;
export type NoContentDefinition = z.output<typeof NoContentSpec>;
export type NeedsHumanDefinition = z.output<typeof NeedsHumanSpec>;
