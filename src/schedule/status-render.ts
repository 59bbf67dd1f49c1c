import { table } from '../cli/table.js';
import { withoutUrl } from './health.js';
import type { StatusReport } from './status.js';

/**
 * `leakwatch status` for a person: the verdict and its reasons first, then one row per site,
 * one per mirror, and recent parser warnings. Text from leak sites (errors quoting pages,
 * warnings) goes through `clean` so it cannot drive the terminal.
 */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function clean(text: string | null | undefined, max = 100): string {
  const t = (text ?? '').replace(CONTROL, '�');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** "2024-06-01 12:00Z (5 min ago)" */
function when(iso: string | null | undefined, nowMs: number): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return clean(iso);
  const d = nowMs - ms;
  const abs = Math.abs(d);
  const rel = abs < 90_000 ? `${Math.round(abs / 1000)} s` : abs < 5_400_000 ? `${Math.round(abs / 60_000)} min` : abs < 172_800_000 ? `${Math.round(abs / 3_600_000)} h` : `${Math.round(abs / 86_400_000)} d`;
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')}Z (${d >= 0 ? `${rel} ago` : `in ${rel}`})`;
}

function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    const host = u.hostname.length > 24 ? `${u.hostname.slice(0, 16)}…${u.hostname.slice(-6)}` : u.hostname;
    return `${host}${u.port ? `:${u.port}` : ''}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return clean(url, 40);
  }
}

export function renderStatus(r: StatusReport): string {
  const now = Date.parse(r.checkedAt);
  const out: string[] = [];
  out.push(`leakwatch status: ${r.health.toUpperCase()} (exit ${r.exitCode}) at ${r.checkedAt}`);
  for (const reason of r.reasons) out.push(`  - ${clean(reason, 200)}`);
  out.push(
    `alert deliveries: ${r.deliveries.pending} pending (${r.deliveries.backingUp} backing up), ${r.deliveries.dead} dead-lettered` +
      (r.deliveries.oldestPendingAt ? `; oldest pending since ${when(r.deliveries.oldestPendingAt, now)}` : ''),
  );
  out.push('');
  out.push(
    table(
      ['site', 'health', 'last run', 'last success', 'failed runs', 'next run', 'new posts (run/24h)', 'pending', 'note'],
      r.sites.map((s) => [
        s.id,
        s.health,
        s.lastRun ? `${s.lastRun.status} ${when(s.lastRun.startedAt, now)}` : 'never',
        when(s.lastSuccessAt, now),
        String(s.consecutiveFailedRuns),
        when(s.nextRunAt, now),
        `${s.newPosts.lastRun}/${s.newPosts.last24h}`,
        String(s.deliveries.pending),
        s.crawling ? `crawling now (pid ${s.crawling.pid} since ${when(s.crawling.since, now)})` : clean(s.lastError ? `last error ${when(s.lastError.at, now)}: ${s.lastError.status} ${s.lastError.message ?? ''}` : ''),
      ]),
    ).trimEnd(),
  );
  out.push('');
  out.push(
    table(
      ['site', 'mirror', 'state', 'last ok', 'failures', 'last error'],
      r.sites.flatMap((s) =>
        s.mirrors.map((m) => [
          s.id,
          shortUrl(m.url),
          m.state,
          when(m.lastOkAt, now),
          String(m.consecutiveFailures),
          m.lastErrorAt ? `${when(m.lastErrorAt, now)}: ${clean(withoutUrl(m.lastError ?? '', m.url))}${m.lastErrorCode ? ` [${m.lastErrorCode}]` : ''}` : '',
        ]),
      ),
    ).trimEnd(),
  );
  const warnings = r.sites.flatMap((s) => s.warnings.map((w) => [s.id, when(w.at, now), w.kind, clean(w.message, 120)]));
  if (warnings.length) {
    out.push('');
    out.push('parser warnings (24 h):');
    out.push(table(['site', 'at', 'kind', 'message'], warnings).trimEnd());
  }
  return out.join('\n') + '\n';
}
