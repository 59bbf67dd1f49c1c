import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../src/alert/backoff.js';
import { DEFAULT_SEVERITY_RULE, severityOf } from '../../src/alert/severity.js';

const d = (document: string, method: 'exact' | 'text' | 'near' | 'partial' | 'image', score: number) => ({ document, method, score });
const many = (n: number, method: 'exact' | 'text' | 'near') => Array.from({ length: n }, (_, i) => d(`docs/letter-${i}.pdf`, method, 0.97));

describe('severity rule', () => {
  it('critical: ten or more documents matched exact/text/near', () => {
    expect(severityOf(many(10, 'text'))).toBe('critical');
    expect(severityOf([...many(5, 'exact'), ...many(5, 'near').map((x, i) => ({ ...x, document: `n${i}` }))])).toBe('critical');
    expect(severityOf(many(9, 'exact'))).toBe('high');
    // Partial matches do not count towards the bulk threshold, however many.
    expect(severityOf(Array.from({ length: 30 }, (_, i) => d(`p${i}`, 'partial', 0.85)))).toBe('high');
  });

  it('critical: any identity document matched strongly', () => {
    expect(severityOf([d('patients/p1/passport-2021.jpg', 'image', 0.9)])).toBe('critical');
    expect(severityOf([d('scans/ID-card.png', 'image', 0.8)])).toBe('critical');
    expect(severityOf([d('hr/drivers-licence.pdf', 'exact', 1)])).toBe('critical');
    // A weak image hit on a passport is not proof it was published: medium.
    expect(severityOf([d('patients/p1/passport-2021.jpg', 'image', 0.6)])).toBe('medium');
    // "id" inside another word is not an identity document.
    expect(severityOf([d('lab/covid-test.jpg', 'image', 0.9)])).toBe('high');
  });

  it('high: any exact/text/near, or a partial/image match at or above 0.8', () => {
    expect(severityOf([d('a.pdf', 'exact', 1)])).toBe('high');
    expect(severityOf([d('a.pdf', 'near', 0.9)])).toBe('high');
    expect(severityOf([d('a.pdf', 'partial', 0.8)])).toBe('high');
    expect(severityOf([d('photo.jpg', 'image', 0.85)])).toBe('high');
  });

  it('medium: partial below 0.8; low: only weak image similarity', () => {
    expect(severityOf([d('a.pdf', 'partial', 0.79)])).toBe('medium');
    expect(severityOf([d('a.pdf', 'partial', 0.5), d('photo.jpg', 'image', 0.5)])).toBe('medium');
    expect(severityOf([d('photo.jpg', 'image', 0.79)])).toBe('low');
    expect(severityOf([])).toBe('low');
  });

  it('thresholds come from the rule (configurable)', () => {
    const rule = { ...DEFAULT_SEVERITY_RULE, criticalDocuments: 2, strongScore: 0.5, identityDocuments: ['^hr/'] };
    expect(severityOf(many(2, 'exact'), rule)).toBe('critical');
    expect(severityOf([d('photo.jpg', 'image', 0.55)], rule)).toBe('high');
    expect(severityOf([d('hr/file.pdf', 'partial', 0.6)], rule)).toBe('critical');
    expect(severityOf([d('x/passport.jpg', 'image', 0.9)], rule)).toBe('high');
  });
});

describe('backoff', () => {
  const p = { maxAttempts: 10, initialDelayMs: 1000, maxDelayMs: 60_000, backoffFactor: 2, jitterRatio: 0.2 };
  it('doubles from the initial delay and is capped', () => {
    const none = () => 0;
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelayMs(n, p, none))).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
    expect(backoffDelayMs(500, p, none)).toBe(60_000);
  });
  it('jitter takes off up to jitterRatio, never adds (the cap holds)', () => {
    expect(backoffDelayMs(1, p, () => 1)).toBe(800);
    expect(backoffDelayMs(20, p, () => 0.5)).toBe(54_000);
    for (let i = 0; i < 100; i++) {
      const v = backoffDelayMs(3, p);
      expect(v).toBeGreaterThanOrEqual(3200);
      expect(v).toBeLessThanOrEqual(4000);
    }
  });
});
