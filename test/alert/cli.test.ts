import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { raiseAlerts } from '../../src/alert/raise.js';
import { run } from '../../src/cli/run.js';
import { AlertStore } from '../../src/store/alert-store.js';
import { useTempDir } from '../helpers/tmp.js';
import { match, MIRROR_2, policy, SHA_B, SHA_C, sighting } from './helpers/fixtures.js';

const tmp = useTempDir();

/** Three alerts: two in one case (same document on two sites), one alone; one seen twice. */
function seed(dataDir: string): { a: number; b: number; c: number; caseAB: number } {
  const store = AlertStore.open(dataDir);
  const p = policy([{ name: 'soc', minSeverity: 'low' }]);
  const a = raiseAlerts(store, sighting({ matches: [match('patients/p1/letter.pdf'), match('patients/p1/lab.pdf', 'partial', 0.7)] }), p);
  raiseAlerts(store, sighting({ mirrorUrl: MIRROR_2, matches: [match('patients/p1/letter.pdf')], at: '2026-03-02T08:00:00.000Z' }), p);
  const b = raiseAlerts(store, sighting({ siteId: 'blacksuit', post: { title: 'ACME \u001b[31mred', url: 'http://bs.onion/p' }, sample: { sha256: SHA_B, url: 'http://bs.onion/s.zip' }, matches: [match('patients/p1/letter.pdf', 'near', 0.94)], at: '2026-03-03T08:00:00.000Z' }), p);
  const c = raiseAlerts(store, sighting({ sample: { sha256: SHA_C, url: 'http://x.onion/c.jpg' }, matches: [match('photos/ward.jpg', 'image', 0.6)], at: '2026-03-04T08:00:00.000Z' }), p);
  store.close();
  return { a: a.alertId, b: b.alertId, c: c.alertId, caseAB: a.caseId };
}

describe('leakwatch alerts / cases', () => {
  it('alerts list: open by default, newest activity first, --json, --status', async () => {
    const dir = tmp();
    const ids = seed(join(dir, 'data'));
    const r = await run(['alerts', 'list'], { cwd: dir, env: {} });
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^id\s+severity\s+status\s+case\s+site\s+docs\s+seen/);
    expect(lines.slice(2).map((l) => Number(l.split(/\s+/)[0]))).toEqual([ids.c, ids.b, ids.a]);
    expect(r.stdout).not.toContain('\u001b'); // hostile post titles cannot drive the terminal
    const j = JSON.parse((await run(['alerts', 'list', '--json'], { cwd: dir, env: {} })).stdout) as { alerts: { id: number; seenCount: number; severity: string; documentCount: number }[] };
    expect(j.alerts.find((a) => a.id === ids.a)).toMatchObject({ seenCount: 2, severity: 'high', documentCount: 2 });
    expect(j.alerts.find((a) => a.id === ids.c)).toMatchObject({ severity: 'low' });

    const ack = await run(['alerts', 'ack', String(ids.a), '--by', 'dana', '--note', 'takedown requested'], { cwd: dir, env: {} });
    expect(ack).toMatchObject({ exitCode: 0, stdout: `acknowledged alert ${ids.a} (by dana)\n` });
    const open = JSON.parse((await run(['alerts', 'list', '--json'], { cwd: dir, env: {} })).stdout) as { alerts: { id: number }[] };
    expect(open.alerts.map((a) => a.id)).not.toContain(ids.a);
    const acked = JSON.parse((await run(['alerts', 'list', '--status', 'acked', '--json'], { cwd: dir, env: {} })).stdout) as { alerts: { id: number; ackedBy: string; ackNote: string }[] };
    expect(acked.alerts).toEqual([expect.objectContaining({ id: ids.a, ackedBy: 'dana', ackNote: 'takedown requested' })]);
    const all = JSON.parse((await run(['alerts', 'list', '--status', 'all', '--json'], { cwd: dir, env: {} })).stdout) as { alerts: unknown[] };
    expect(all.alerts).toHaveLength(3);
    expect((await run(['alerts', 'list', '--status', 'closed'], { cwd: dir, env: {} })).exitCode).toBe(2);
  });

  it('alerts show: sightings, documents, events, deliveries and attempts', async () => {
    const dir = tmp();
    const ids = seed(join(dir, 'data'));
    const r = await run(['alerts', 'show', String(ids.a), '--data', 'data'], { cwd: dir, env: {} });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^alert \d+ — HIGH, open \(case \d+\)/);
    expect(r.stdout).toContain('sightings (2):');
    expect(r.stdout).toContain(MIRROR_2);
    expect(r.stdout).toContain('documents (2):');
    expect(r.stdout).toMatch(/acme-2024\s+patients\/p1\/letter\.pdf\s+exact\s+1\.00/);
    expect(r.stdout).toMatch(/created[\s\S]*seen-again/);
    expect(r.stdout).toMatch(/deliveries \(1\):[\s\S]*soc\s+alert\.new\s+pending/);
    const j = JSON.parse((await run(['alerts', 'show', String(ids.a), '--json'], { cwd: dir, env: {} })).stdout) as {
      alert: { sightings: unknown[]; documents: unknown[] };
      events: { kind: string }[];
      deliveries: { status: string }[];
      attempts: unknown[];
    };
    expect(j.alert.sightings).toHaveLength(2);
    expect(j.alert.documents).toHaveLength(2);
    expect(j.events.map((e) => e.kind)).toEqual(['created', 'seen-again']);
    expect(j.deliveries).toEqual([expect.objectContaining({ status: 'pending' })]);
    expect(j.attempts).toEqual([]);
    const missing = await run(['alerts', 'show', '999'], { cwd: dir, env: {} });
    expect(missing).toMatchObject({ exitCode: 2 });
    expect(missing.stderr).toContain('no alert 999');
  });

  it('cases list and show: timeline of appearances and exposed documents with counts', async () => {
    const dir = tmp();
    const ids = seed(join(dir, 'data'));
    const list = JSON.parse((await run(['cases', 'list', '--json'], { cwd: dir, env: {} })).stdout) as { cases: { id: number; alerts: number; sites: string[]; documents: number }[] };
    expect(list.cases).toHaveLength(2);
    expect(list.cases.find((c) => c.id === ids.caseAB)).toMatchObject({ alerts: 2, sites: ['blacksuit', 'lockbit3'], documents: 2 });
    const text = await run(['cases', 'show', String(ids.caseAB)], { cwd: dir, env: {} });
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/^case \d+ — HIGH: 2 known document\(s\) exposed in 2 alert\(s\) on 2 site\(s\)/);
    expect(text.stdout).toContain('timeline (3 appearance(s)):');
    expect(text.stdout).toMatch(/patients\/p1\/letter\.pdf\s+2\s+blacksuit, lockbit3\s+exact 1\.00/);
    expect(text.stdout).not.toContain('\u001b');
    const j = JSON.parse((await run(['cases', 'show', String(ids.caseAB), '--json'], { cwd: dir, env: {} })).stdout) as {
      case: { timeline: { siteId: string; mirrorUrl: string; firstSeenAt: string }[]; exposed: { document: string; appearances: number }[] };
    };
    expect(j.case.timeline.map((t) => [t.siteId, t.firstSeenAt])).toEqual([
      ['lockbit3', '2026-03-01T10:00:00.000Z'],
      ['lockbit3', '2026-03-02T08:00:00.000Z'],
      ['blacksuit', '2026-03-03T08:00:00.000Z'],
    ]);
    expect(j.case.exposed.map((d) => [d.document, d.appearances])).toEqual([
      ['patients/p1/letter.pdf', 2],
      ['patients/p1/lab.pdf', 1],
    ]);
    expect((await run(['cases', 'show', '42'], { cwd: dir, env: {} })).exitCode).toBe(2);
  });

  it('finds the database through --config (dataDir) and refuses to invent one', async () => {
    const dir = tmp();
    seed(join(dir, 'state'));
    writeFileSync(join(dir, 'lw.yaml'), 'dataDir: state\n');
    const viaConfig = await run(['alerts', 'list', '--config', 'lw.yaml', '--json'], { cwd: dir, env: {} });
    expect(viaConfig.exitCode).toBe(0);
    expect((JSON.parse(viaConfig.stdout) as { alerts: unknown[] }).alerts).toHaveLength(3);
    const none = await run(['alerts', 'list'], { cwd: dir, env: {} });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/no leakwatch database in data/);
    const outbox = await run(['alerts', 'outbox', '--data', 'state'], { cwd: dir, env: {} });
    expect(outbox.stdout).toMatch(/outbox\s+alert\s+channel/);
    expect(outbox.stdout.trim().split('\n')).toHaveLength(2 + 3);
  });
});
