import type { IncomingMessage } from 'node:http';
import { html, nginxError, type SimResponse } from './html.js';
import type { SampleStore, ServedBody } from './samples.js';
import type { SimSite } from './site-state.js';
import { queuePage } from './styles/queue.js';
import type { FaultKind, SimFile } from './types.js';

/**
 * Decides what one request gets: a fault (when one is pending), the queue gate, a sample
 * file, a listing page, a post page, or a style's other routes. Pure of sockets: the mirror
 * server writes the result (and handles the faults that act on the connection).
 */

export interface RouteContext {
  site: SimSite;
  seed: number;
  now: Date;
  samples: SampleStore;
  mirror: number;
}

export type Routed =
  | { kind: 'page'; response: SimResponse; fault?: FaultKind }
  | { kind: 'file'; file: SimFile; body: ServedBody }
  /** Send the head and part of `response`, then reset (`reset`) or hang (`stall`). */
  | { kind: 'broken'; response: SimResponse; fault: 'reset' | 'stall' };

/** Bytes a `short` fault keeps: a partial load that cuts the listing mid-way. */
export const SHORT_PAGE_BYTES = 300;

async function listingResponse(ctx: RouteContext, page: number, empty = false): Promise<SimResponse> {
  const view = ctx.site.view(ctx.seed, ctx.now, ctx.samples, empty ? [] : undefined);
  return ctx.site.module.renderListing(view, page);
}

async function faultResponse(kind: FaultKind, ctx: RouteContext, page: number | undefined): Promise<Routed> {
  switch (kind) {
    case 'empty': return { kind: 'page', response: html(''), fault: kind };
    case 'error': return { kind: 'page', response: nginxError(502), fault: kind };
    case 'not-found': return { kind: 'page', response: nginxError(404), fault: kind };
    case 'captcha': return { kind: 'page', response: queuePage(ctx.site.name), fault: kind };
    case 'no-posts': return { kind: 'page', response: await listingResponse(ctx, page ?? 1, true), fault: kind };
    case 'short': {
      const full = await listingResponse(ctx, page ?? 1);
      const bytes = Buffer.isBuffer(full.body) ? full.body : Buffer.from(full.body, 'utf8');
      return { kind: 'page', response: { ...full, body: bytes.subarray(0, SHORT_PAGE_BYTES) }, fault: kind };
    }
    case 'reset':
    case 'stall': return { kind: 'broken', response: await listingResponse(ctx, page ?? 1), fault: kind };
  }
}

export async function route(req: IncomingMessage, url: URL, ctx: RouteContext): Promise<Routed> {
  const { site } = ctx;
  const pathAndQuery = url.pathname + url.search;
  const page = site.module.listingPage(url);
  const fault = site.takeFault(pathAndQuery, ctx.mirror, page !== undefined);
  if (fault) return faultResponse(fault, ctx, page);

  const view = site.view(ctx.seed, ctx.now, ctx.samples);
  const gated = site.module.gate?.(req, view);
  if (gated) return { kind: 'page', response: gated };

  if (url.pathname.startsWith('/files/') || url.pathname.startsWith('/img/')) {
    const file = site.findFile(url.pathname);
    if (!file) return { kind: 'page', response: nginxError(404) };
    return { kind: 'file', file, body: await ctx.samples.body(file.source) };
  }
  if (page !== undefined) return { kind: 'page', response: await site.module.renderListing(view, page) };
  const post = site.findPost(pathAndQuery);
  if (post) return { kind: 'page', response: await site.module.renderPost(view, post) };
  const extra = await site.module.extra?.(url, view);
  return { kind: 'page', response: extra ?? nginxError(404) };
}
