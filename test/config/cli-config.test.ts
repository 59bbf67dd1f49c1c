import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { useTempDir } from '../helpers/tmp.js';

describe('leakwatch init / config', () => {
  const tmp = useTempDir();

  it('init writes a commented starter that passes config check', async () => {
    const dir = tmp();
    const r = await run(['init'], { cwd: dir, env: {} });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('wrote leakwatch.yaml');
    const text = readFileSync(join(dir, 'leakwatch.yaml'), 'utf8');
    expect(text).toMatch(/^# leakwatch configuration/);
    expect(text).toContain('socksPort: 9050');
    const check = await run(['config', 'check'], { cwd: dir, env: {} });
    expect(check.exitCode).toBe(0);
    expect(check.stdout).toContain('leakwatch.yaml: OK');
    expect(check.stdout).toContain('socks5h://127.0.0.1:9050');
  });

  it('init never overwrites without --force', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'custom.yaml'), 'mine: true\n');
    const r = await run(['init', '--config', 'custom.yaml'], { cwd: dir, env: {} });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/custom\.yaml already exists; use --force/);
    expect(readFileSync(join(dir, 'custom.yaml'), 'utf8')).toBe('mine: true\n');
    const forced = await run(['init', '--config', 'custom.yaml', '--force'], { cwd: dir, env: {} });
    expect(forced.exitCode).toBe(0);
    expect(readFileSync(join(dir, 'custom.yaml'), 'utf8')).toMatch(/^# leakwatch configuration/);
  });

  it('config check lists every problem with its path and exits 2', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'lw.yaml'), [
      'sites:',
      '  - id: a',
      '    name: A',
      '    mirrors: [http://omegalock5zxwbhswbisc42o2q2i54vdulyvtqqbudqousisjgc7j7yd.onion/]',
      '    listing: { title: h2 }',
      '  - id: b',
      '    name: B',
      '    mirrors: [http://omegalock5zxwbhswbisc42o2q2i54vdulyvtqqbudqousisjgc7j7yd.onion/]',
      '    listing: { item: tr, title: td }',
      '  - id: c',
      '    name: C',
      '    mirrors: [http://omegalock5zxwbhswbisc42o2q2i54vdulyvtqqbudqousisjgc7j7yd.onion/]',
      '    listing: { title: h2, date: { selector: time, format: MM/dd } }',
    ].join('\n'));
    const r = await run(['config', 'check', '--config', 'lw.yaml'], { cwd: dir, env: {} });
    expect(r.exitCode).toBe(2);
    expect(r.stdout.split('\n')).toEqual([
      'lw.yaml: 3 problems',
      '  sites[0].listing.item: required (lw.yaml:5:14)',
      '  sites[2].listing.item: required (lw.yaml:13:14)',
      '  sites[2].listing.date.format: a date format needs a year (yyyy/yy), a month (MM/MMM) and a day (dd) (lw.yaml:13:59)',
      '',
    ]);
    const json = await run(['config', 'check', '--config', 'lw.yaml', '--json'], { cwd: dir, env: {} });
    expect(json.exitCode).toBe(2);
    const data = JSON.parse(json.stdout) as { ok: boolean; problems: Array<{ path: string; line: number }> };
    expect(data.ok).toBe(false);
    expect(data.problems.map((p) => p.path)).toEqual(['sites[0].listing.item', 'sites[2].listing.item', 'sites[2].listing.date.format']);
  });

  it('config check finds the file through $LEAKWATCH_CONFIG and reports a missing one', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'elsewhere.yaml'), 'dataDir: d\n');
    const r = await run(['config', 'check', '--json'], { cwd: dir, env: { LEAKWATCH_CONFIG: 'elsewhere.yaml' } });
    expect(r.exitCode).toBe(0);
    expect((JSON.parse(r.stdout) as { dataDir: string }).dataDir).toBe(join(dir, 'd'));
    const missing = await run(['config', 'check'], { cwd: dir, env: {} });
    expect(missing.exitCode).toBe(2);
    expect(missing.stdout).toContain('file not found');
  });

  it('config schema prints JSON Schema for the config and for a single site', async () => {
    const r = await run(['config', 'schema'], { cwd: tmp(), env: {} });
    expect(r.exitCode).toBe(0);
    const schema = JSON.parse(r.stdout) as { title: string; type: string };
    expect(schema).toMatchObject({ title: 'leakwatch configuration (leakwatch.yaml)', type: 'object' });
    const site = JSON.parse((await run(['config', 'schema', '--site'], { cwd: tmp(), env: {} })).stdout) as { required: string[] };
    expect(site.required).toEqual(expect.arrayContaining(['id', 'name', 'mirrors']));
  });
});
