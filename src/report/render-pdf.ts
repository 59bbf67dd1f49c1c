import type { Browser } from 'playwright-core';
import { AbortError, FatalError, throwIfAborted } from '../errors.js';
import { chromiumArgs, defaultExecutablePath } from '../fetch/browser.js';

/**
 * Prints a report's HTML to PDF with Playwright's Chromium. The HTML is local and set with
 * page.setContent — no URL is ever opened — JavaScript is off, and every request the page
 * might make is aborted, so rendering a report can neither run code nor reach a network,
 * whatever leak-site text ended up in it. The crawler's leak-safe flags apply too (no
 * background networking, no DNS).
 */

export interface RenderPdfOptions {
  /** Default: /usr/bin/chromium when present, else Playwright's own browser. */
  executablePath?: string;
  signal?: AbortSignal;
  /** Launch + render, default 120 s. */
  timeoutMs?: number;
  /** Left of the page footer, e.g. "leakwatch case 3"; plain text. */
  footerLabel?: string;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

const FOOTER_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Chromium fills .pageNumber/.totalPages itself (no script involved). */
function footer(label: string): string {
  const text = label.replace(/[&<>"']/g, (c) => FOOTER_ESCAPES[c] as string);
  return `<div style="font-size:7pt;width:100%;padding:0 12mm;color:#555;display:flex;justify-content:space-between;font-family:sans-serif">
<span>${text}</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
}

export async function renderPdf(html: string, options: RenderPdfOptions = {}): Promise<Buffer> {
  throwIfAborted(options.signal);
  const executablePath = options.executablePath ?? defaultExecutablePath();
  const timeoutMs = options.timeoutMs ?? 120_000;
  const { chromium } = await import('playwright-core');
  let browser: Browser | undefined;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const close = (): void => {
    browser?.close().catch(() => undefined);
  };
  signal.addEventListener('abort', close, { once: true });
  try {
    try {
      browser = await chromium.launch({
        ...(executablePath ? { executablePath } : {}),
        headless: true,
        chromiumSandbox: !isRoot(),
        args: chromiumArgs(),
        timeout: timeoutMs,
      });
    } catch (err) {
      throwIfAborted(signal);
      throw new FatalError('E_BROWSER', `could not start Chromium (${executablePath ?? "Playwright's bundled Chromium"}) to print the PDF: install it with "apt-get install -y chromium"`, { cause: err });
    }
    // A signal that fired while Chromium was starting found no browser to close.
    if (signal.aborted) close();
    const context = await browser.newContext({ javaScriptEnabled: false, serviceWorkers: 'block', acceptDownloads: false, offline: true });
    await context.route('**/*', (route) => route.abort('blockedbyclient'));
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load', timeout: timeoutMs });
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: footer(options.footerLabel ?? 'leakwatch evidence report'),
      margin: { top: '14mm', bottom: '16mm', left: '12mm', right: '12mm' },
    });
    throwIfAborted(signal);
    return pdf;
  } catch (err) {
    if (signal.aborted) throw new AbortError(timeout.aborted ? `printing the PDF took longer than ${timeoutMs} ms` : 'operation aborted', { cause: err });
    throw err;
  } finally {
    signal.removeEventListener('abort', close);
    await browser?.close().catch(() => undefined);
  }
}
