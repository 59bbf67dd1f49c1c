import type { ServerResponse } from 'node:http';

/**
 * Response headers for every dashboard response. No inline script or style is allowed
 * anywhere (CSP), the dashboard cannot be framed, and no URL leaks in a Referer.
 */

export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * For a captured leak-site page shown in the evidence viewer's iframe: a sandbox with no
 * scripts, no requests (only inline data: images), framable only by the dashboard itself.
 */
export const CAPTURED_PAGE_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'; form-action 'none'; base-uri 'none'";

/** Downloads (reports, packages): never run as a page even if opened in the browser. */
export const DOWNLOAD_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'";

export function setSecurityHeaders(res: ServerResponse, csp: string = DASHBOARD_CSP): void {
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', csp === CAPTURED_PAGE_CSP ? 'SAMEORIGIN' : 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'no-store');
}
