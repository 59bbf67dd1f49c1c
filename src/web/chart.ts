import { html, type Html } from '../report/html.js';
import type { MirrorCheckRow } from '../store/web-queries.js';

/**
 * A small server-side SVG of a mirror's recent checks: one bar per check, its height the
 * latency (scaled to the slowest), green when the mirror answered, red (full height) when
 * not. Presentation attributes only (no style attribute: the CSP forbids inline styles).
 */

export interface ChartOptions {
  widthPx?: number;
  heightPx?: number;
}

export function uptimeChart(checks: readonly MirrorCheckRow[], o: ChartOptions = {}): Html {
  const w = o.widthPx ?? 480;
  const h = o.heightPx ?? 60;
  if (checks.length === 0) return html`<p class="empty">no checks recorded yet</p>`;
  const maxLatency = Math.max(1, ...checks.map((c) => c.latencyMs ?? 0));
  // At most 12 px per check, so a short history is a few thin bars rather than one block.
  const slot = Math.min(12, w / checks.length);
  const barW = Math.max(1, slot - 1);
  const up = checks.filter((c) => c.ok).length;
  const bars = checks.map((c, i) => {
    const x = (i * slot).toFixed(1);
    const bh = c.ok ? Math.max(2, ((c.latencyMs ?? 0) / maxLatency) * (h - 4)) : h - 4;
    const y = (h - bh).toFixed(1);
    const label = `${c.at} ${c.ok ? `up, ${c.latencyMs ?? '?'} ms` : `down: ${c.errorCode ?? c.outcome}`}`;
    return html`<rect x="${x}" y="${y}" width="${barW.toFixed(1)}" height="${bh.toFixed(1)}" class="${c.ok ? 'ok' : 'down'}" fill="${c.ok ? '#2e7d32' : '#c62828'}"><title>${label}</title></rect>`;
  });
  const summary = `${up} of ${checks.length} checks up; slowest ${maxLatency} ms`;
  return html`<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${summary}">
<line x1="0" y1="${h - 0.5}" x2="${w}" y2="${h - 0.5}" stroke="#999" stroke-width="1"/>${bars}</svg><figcaption>${summary} (bar height = latency, red = down)</figcaption></figure>`;
}
