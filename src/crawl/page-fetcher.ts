import type { SiteDefinition } from '../sites/schema.js';
import type { Limits } from '../config/schema.js';
import type { BrowserLike, FetchedPage } from './types.js';
import type { Transport } from '../fetch/types.js';
import { HttpStatusError } from '../fetch/fetch-errors.js';

/**
 * One way to fetch a page for the rest of the crawler: plain HTTP through Tor, or Chromium
 * through Tor for sites whose definitions say `transport: browser` (then with a screenshot
 * and the rendered DOM, which the evidence stage keeps).
 */
export class PageFetcher {
  constructor(
    private readonly http: Transport,
    private readonly browser: BrowserLike | undefined,
    private readonly limits: Limits,
    private readonly clock: () => Date,
  ) {}

  async fetch(site: SiteDefinition, url: string, signal?: AbortSignal, accept?: string): Promise<FetchedPage> {
    const fetchedAt = this.clock().toISOString();
    const allowHosts = site.mirrors.map((m) => new URL(m).hostname);
    if (site.transport === 'browser') {
      if (!this.browser) throw new Error(`site "${site.id}" needs the browser transport, which is not available here`);
      const r = await this.browser.fetchPage(
        {
          url,
          siteId: site.id,
          maxBytes: this.limits.maxPageBytes,
          javascript: true,
          allowHosts,
          allowClearnet: site.allowClearnet,
          ...(site.browser?.settleMs !== undefined ? { settleMs: site.browser.settleMs } : {}),
          ...(site.headers ? { headers: site.headers } : {}),
        },
        { ...(signal ? { signal } : {}) },
      );
      return {
        url,
        finalUrl: r.url,
        status: r.status,
        headers: r.headers,
        body: r.body,
        contentType: r.contentType,
        transport: 'browser',
        screenshot: r.screenshot,
        dom: r.html,
        latencyMs: r.timings.totalMs,
        redirects: r.redirects,
        fetchedAt,
      };
    }
    let r;
    try {
      r = await this.http.fetchPage(
      {
        url,
        siteId: site.id,
        maxBytes: this.limits.maxPageBytes,
        allowHosts,
        allowClearnet: site.allowClearnet,
        ...(accept ? { accept } : {}),
        ...(site.headers ? { headers: site.headers } : {}),
      },
      { ...(signal ? { signal } : {}) },
      );
    } catch (err) {
      // An error status still has a page worth keeping and classifying: a captcha served with
      // 503, an nginx 404, a "site under maintenance" 502.
      if (err instanceof HttpStatusError && err.response) {
        const res = err.response;
        return { url, finalUrl: res.url, status: res.status, headers: res.headers, body: res.body, contentType: res.contentType, transport: 'http', latencyMs: 0, redirects: [], fetchedAt };
      }
      throw err;
    }
    return {
      url,
      finalUrl: r.url,
      status: r.status,
      headers: r.headers,
      body: r.body,
      contentType: r.contentType,
      transport: 'http',
      latencyMs: r.timings.totalMs,
      redirects: r.redirects,
      fetchedAt,
    };
  }
}
