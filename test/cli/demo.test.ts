import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/index.js';
import { useTempDir } from '../helpers/tmp.js';

const tmp = useTempDir();

describe('leakwatch demo', () => {
  it('runs the pipeline end to end: crawl through the proxy, alerts, verified evidence', async () => {
    const dir = join(tmp(), 'demo');
    const r = await run(['demo', '--documents', '40', '--dir', dir, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      ok: boolean;
      sites: { siteId: string; status: string; postsSeen: number }[];
      alerts: unknown[];
      packages: { verified: boolean }[];
      custodyLogVerified: boolean;
      reports: { path: string; sha256: string }[];
    };
    expect(out.ok).toBe(true);
    expect(out.sites.find((s) => s.siteId === 'sim-queue')!.status).toBe('needs-human');
    for (const s of out.sites.filter((x) => x.siteId !== 'sim-queue')) expect(s).toMatchObject({ status: 'ok' });
    expect(out.alerts.length).toBeGreaterThan(0);
    expect(out.packages.length).toBeGreaterThan(0);
    expect(out.packages.every((p) => p.verified)).toBe(true);
    expect(out.custodyLogVerified).toBe(true);
    expect(out.reports.map((r) => r.path.split('.').pop())).toContain('html');
    for (const r of out.reports) expect(existsSync(r.path)).toBe(true);
    expect(existsSync(join(dir, 'data', 'leakwatch.db'))).toBe(true);
  }, 240_000);
});
