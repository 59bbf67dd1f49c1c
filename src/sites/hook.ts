import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { FatalError } from '../errors.js';
import { derivePostKey } from './post-key.js';
import type { SiteDefinition } from './schema.js';
import type { ExtractedPost, ListingOutcome } from './types.js';

/**
 * The escape hatch for a site that data cannot describe. A definition names an ES module and
 * an export:
 *
 *   hook: { module: ./hooks/odd-site.mjs, export: extract }
 *
 * The function receives the page and what the declarative part extracted, and returns an
 * outcome — the same one, a corrected one, or one built from scratch:
 *
 *   export function extract({ site, url, text, now, outcome }) {
 *     const posts = [...text.matchAll(/victim: (.+)/g)].map((m) => ({ title: m[1] }));
 *     return posts.length ? { status: 'ok', posts } : { status: 'parser-broken', reason: 'no victims' };
 *   }
 *
 * Posts from a hook are re-keyed here (id → URL path → title), so identity rules are the same
 * for every site. A hook that throws or returns garbage yields `parser-broken`, never a crash.
 * Hooks run with the crawler's privileges: only point at modules you wrote or reviewed.
 */

export interface HookContext {
  site: SiteDefinition;
  url: string;
  /** Decoded page text (after the size cap). */
  text: string;
  now: Date;
  outcome: ListingOutcome;
}

export type SiteHookFn = (ctx: HookContext) => unknown;

const HookPost = z.object({
  title: z.string().min(1),
  url: z.string().optional(),
  id: z.string().optional(),
  publishedAt: z.iso.datetime({ offset: true }).optional(),
  dateText: z.string().optional(),
  description: z.string().optional(),
  deadlineAt: z.iso.datetime({ offset: true }).optional(),
  deadlineText: z.string().optional(),
  dataSizeBytes: z.number().int().min(0).optional(),
  dataSizeText: z.string().optional(),
  fields: z.record(z.string(), z.string()).optional(),
});

const HookOutput = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), posts: z.array(HookPost), nextPage: z.string().optional(), warnings: z.array(z.string()).optional() }),
  z.object({ status: z.enum(['no-content', 'parser-broken', 'needs-human']), reason: z.string().min(1), warnings: z.array(z.string()).optional() }),
]);

/** Imports the hook module (an absolute path: the config loader resolves it). */
export async function loadHook(site: SiteDefinition): Promise<SiteHookFn | undefined> {
  if (!site.hook) return undefined;
  const { module, export: name } = site.hook;
  if (!isAbsolute(module)) throw new FatalError('E_CONFIG', `sites.${site.id}.hook.module must be resolved to an absolute path before loading`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(module).href)) as Record<string, unknown>;
  } catch (err) {
    throw new FatalError('E_CONFIG', `site ${site.id}: cannot load hook module: ${err instanceof Error ? err.message : String(err)}`, { input: module, cause: err });
  }
  const fn = mod[name];
  if (typeof fn !== 'function') throw new FatalError('E_CONFIG', `site ${site.id}: hook module has no function export "${name}"`, { input: module });
  return fn as SiteHookFn;
}

/** Runs a loaded hook on one page's outcome; problems become `parser-broken`. */
export async function applyHook(fn: SiteHookFn, ctx: HookContext): Promise<ListingOutcome> {
  const { page } = ctx.outcome;
  const warnings = [...ctx.outcome.warnings];
  let result: unknown;
  try {
    result = await fn(ctx);
  } catch (err) {
    return { status: 'parser-broken', reason: `site hook threw: ${err instanceof Error ? err.message : String(err)}`, warnings, page };
  }
  const parsed = HookOutput.safeParse(result);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { status: 'parser-broken', reason: `site hook returned an invalid result (${first ? `${first.path.join('.')}: ${first.message}` : 'unknown'})`, warnings, page };
  }
  const out = parsed.data;
  warnings.push(...(out.warnings ?? []).filter((w) => !warnings.includes(w)));
  if (out.status !== 'ok') return { status: out.status, reason: out.reason, warnings, page };
  const posts: ExtractedPost[] = out.posts.map((p) => {
    let url: string | undefined;
    try {
      url = p.url ? new URL(p.url, ctx.url).href : undefined;
    } catch {
      url = undefined;
    }
    const post: ExtractedPost = { ...p, ...derivePostKey({ id: p.id, url, title: p.title }), url, fields: p.fields ?? {} };
    if (!url) delete post.url;
    delete (post as { id?: string }).id;
    return post;
  });
  return out.nextPage ? { status: 'ok', posts, nextPage: new URL(out.nextPage, ctx.url).href, warnings, page } : { status: 'ok', posts, warnings, page };
}
