import type { LeakwatchConfig } from '../config/load.js';
import { errorMessage } from '../errors.js';
import { torControlEndpoint } from '../fetch/from-config.js';
import { checkProxy } from '../fetch/preflight.js';
import { checkTorBootstrap, type BootstrapStatus } from '../fetch/tor-control.js';
import { HEALTH_EXIT, worst, type Health } from './health.js';
import type { StatusReport } from './status.js';

/**
 * `leakwatch status --check-tor`: the local Tor client itself, for monitoring. The SOCKS
 * preflight the crawler runs (is it there, does it answer like Tor) and, when the config names
 * the control port, its bootstrap phase — a Tor that restarted answers SOCKS long before it can
 * build circuits. Opt-in, because status otherwise only reads local files. Both checks talk to
 * the configured Tor on its own ports, never to a leak site.
 *
 * Rule: SOCKS not usable → failing (no site can be crawled); control port unreachable or
 * bootstrap below 100 % → degraded.
 */

export interface TorStatus {
  socks: { ok: boolean; endpoint: string; latencyMs?: number; error?: string };
  /** Absent when no control port is configured. */
  control?: { ok: boolean; endpoint: string; bootstrap?: BootstrapStatus; error?: string };
  health: Health;
  reasons: string[];
}

export async function checkTor(config: LeakwatchConfig, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<TorStatus> {
  const { tor } = config;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const reasons: string[] = [];
  let health: Health = 'healthy';
  const endpoint = `${tor.socksHost}:${tor.socksPort}`;
  let socks: TorStatus['socks'];
  try {
    const p = await checkProxy({ host: tor.socksHost, port: tor.socksPort }, { timeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
    socks = { ok: true, endpoint, latencyMs: p.latencyMs };
  } catch (err) {
    socks = { ok: false, endpoint, error: errorMessage(err) };
    health = 'failing';
    reasons.push(`Tor SOCKS proxy: ${socks.error}`);
  }
  const controlAt = torControlEndpoint(tor);
  if (!controlAt) return { socks, health, reasons };
  const controlEndpoint = `${controlAt.host}:${controlAt.port}`;
  let control: NonNullable<TorStatus['control']>;
  try {
    const bootstrap = await checkTorBootstrap(controlAt, { timeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
    control = { ok: true, endpoint: controlEndpoint, bootstrap };
    if (bootstrap.progress < 100) {
      health = worst(health, 'degraded');
      reasons.push(`Tor is bootstrapping (${bootstrap.progress}%: ${bootstrap.summary})${bootstrap.warning ? `: ${bootstrap.warning}` : ''}`);
    }
  } catch (err) {
    control = { ok: false, endpoint: controlEndpoint, error: errorMessage(err) };
    health = worst(health, 'degraded');
    reasons.push(`Tor control port: ${control.error}`);
  }
  return { socks, control, health, reasons };
}

/** The status report with the Tor findings folded into its verdict. */
export function withTorStatus(report: StatusReport, tor: TorStatus): StatusReport & { tor: TorStatus } {
  const health = worst(report.health, tor.health);
  return { ...report, health, exitCode: HEALTH_EXIT[health], reasons: [...tor.reasons, ...report.reasons], tor };
}

/** One line for the text report. */
export function renderTorLine(tor: TorStatus): string {
  const socks = tor.socks.ok ? `SOCKS ${tor.socks.endpoint} up (${tor.socks.latencyMs} ms)` : `SOCKS ${tor.socks.endpoint} DOWN`;
  const control = !tor.control ? 'no control port configured' : tor.control.ok ? `bootstrapped ${tor.control.bootstrap?.progress ?? '?'}%` : 'control port unreachable';
  return `tor: ${socks}; ${control}`;
}
