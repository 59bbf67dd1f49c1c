import type { AlertMatchInput, AlertPolicy, RaiseAlertInput } from '../../../src/alert/types.js';
import { DEFAULT_ALERT_POLICY } from '../../../src/alert/raise.js';
import type { MatchMethod } from '../../../src/match/types.js';

export const SHA_A = 'a'.repeat(64);
export const SHA_B = 'b'.repeat(64);
export const SHA_C = 'c'.repeat(64);

export const MIRROR_1 = 'http://lockbit3aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.onion/';
export const MIRROR_2 = 'http://lockbit3bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.onion/';

export function match(document: string, method: MatchMethod = 'exact', score = 1, extra: Partial<AlertMatchInput> = {}): AlertMatchInput {
  return {
    set: 'acme-2024',
    document,
    documentSha256: `${document.length.toString(16).padStart(2, '0')}`.padEnd(64, 'd'),
    method,
    score,
    explanation: `${method} match of ${document}`,
    details: {},
    memberPath: extra.memberPath ?? `dump/${document}`,
    ...extra,
  };
}

export function sighting(over: Partial<RaiseAlertInput> & Pick<RaiseAlertInput, 'matches'>): RaiseAlertInput {
  return {
    siteId: 'lockbit3',
    mirrorUrl: MIRROR_1,
    post: { id: 1, title: 'Acme Clinic', url: `${MIRROR_1}post/acme` },
    sample: { sha256: SHA_A, url: `${MIRROR_1}files/proof.zip` },
    at: '2026-03-01T10:00:00.000Z',
    ...over,
  };
}

export function policy(channels: AlertPolicy['channels'], over: Partial<AlertPolicy> = {}): AlertPolicy {
  return { ...DEFAULT_ALERT_POLICY, channels, ...over };
}

/** A wall clock tests move by hand: backoff is observed without waiting. */
export class FakeClock {
  constructor(public ms = Date.parse('2026-03-01T10:00:00.000Z')) {}
  nowMs = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
  iso(): string {
    return new Date(this.ms).toISOString();
  }
}

/** A logger that keeps every line as JSON text, the way pino would write it. */
export class RecordingLogger {
  readonly lines: string[] = [];
  info = (obj: Record<string, unknown>, msg: string): void => void this.lines.push(JSON.stringify({ level: 'info', ...obj, msg }));
  warn = (obj: Record<string, unknown>, msg: string): void => void this.lines.push(JSON.stringify({ level: 'warn', ...obj, msg }));
  error = (obj: Record<string, unknown>, msg: string): void => void this.lines.push(JSON.stringify({ level: 'error', ...obj, msg }));
  text(): string {
    return this.lines.join('\n');
  }
}
