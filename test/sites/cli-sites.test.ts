import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { fixturePath } from '../helpers/shared.js';
import { useTempDir } from '../helpers/tmp.js';

const page = (name: string): string => fixturePath('leak-site-pages', name);
const LOCKBIT = page('lockbit3-lockbitapt2yfbt7lchxejug47kmqvqqxvvjpqkmevv4l3azl3gy6pyd.html');

describe('leakwatch sites', () => {
  const tmp = useTempDir();

  it('sites list without a config lists the shipped definitions', async () => {
    const r = await run(['sites', 'list'], { cwd: tmp(), env: {} });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('shipped definitions: 7 sites');
    expect(r.stdout).toMatch(/hive\s+Hive\s+http\s+json/);
    expect(r.stdout).toMatch(/blackbasta\s+Black Basta\s+browser\s+html/);
  });

  it('sites list with a config lists its sites (built-in refs and inline), --json', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'leakwatch.yaml'), [
      'sites:',
      '  - builtin: spook',
      '    enabled: false',
      '    schedule: { cron: "0 */6 * * *" }',
      '  - id: mine',
      '    name: Mine',
      '    mirrors: [http://omegalock5zxwbhswbisc42o2q2i54vdulyvtqqbudqousisjgc7j7yd.onion/]',
      '    listing: { item: tr, title: td }',
    ].join('\n'));
    const r = await run(['sites', 'list', '--json'], { cwd: dir, env: {} });
    expect(r.exitCode).toBe(0);
    const data = JSON.parse(r.stdout) as { from: string; sites: Array<{ id: string; enabled: boolean; schedule?: string; source: string }> };
    expect(data.from).toBe('leakwatch.yaml');
    expect(data.sites.map((s) => [s.id, s.enabled, s.schedule, s.source])).toEqual([
      ['spook', false, '0 */6 * * * UTC', 'builtin'],
      ['mine', true, undefined, 'inline'],
    ]);
  });

  it('sites test prints a table with status, counts, dates and warnings', async () => {
    const r = await run(['sites', 'test', 'lockbit3', '--html', LOCKBIT, '--now', '2022-09-20T00:00:00Z'], { cwd: tmp(), env: {} });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('status    ok: 199 posts');
    expect(r.stdout).toContain('parsed    199 with post URL, 199 with date, 0 with size');
    expect(r.stdout).toMatch(/2\s+software-line\.it\s+2022-09-16 22:47\s+-\s+2022-09-25 18:29\s+url:\/post\/NiLxXygDEfvo3lJ76323bd5d81dcf/);
  });

  it('sites test --json gives the outcome; sizes are parsed', async () => {
    const r = await run(['sites', 'test', '0mega', '--html', page('0mega-0mega.html'), '--json'], { cwd: tmp(), env: {} });
    expect(r.exitCode).toBe(0);
    const data = JSON.parse(r.stdout) as { site: string; url: string; outcome: { status: string; posts: Array<{ title: string; dataSizeBytes: number }> } };
    expect(data.site).toBe('0mega');
    expect(data.url).toBe('http://omegalock5zxwbhswbisc42o2q2i54vdulyvtqqbudqousisjgc7j7yd.onion/');
    expect(data.outcome.status).toBe('ok');
    expect(data.outcome.posts.map((p) => [p.title, p.dataSizeBytes])).toEqual([['Nextlabs', 298 * 1024 ** 3], ['Maxey Moverley', 152 * 1024 ** 3]]);
  });

  it('sites test on a negative page says no-content with the reason and exits 2', async () => {
    const r = await run(['sites', 'test', 'hive', '--html', page('hiveleak-hivecust6vhekztbqgdnkks64ucehqacge3dij3gyrrpdp57zoq3ooqd.html')], { cwd: tmp(), env: {} });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/status {4}no-content: single-page-app shell/);
    const e = await run(['sites', 'test', 'lockbit3', '--html', page('revil-aplebzu47wgazapdqks6vrcv6zcnjppkbxbr6wketf56nf6aq2nmyoyd.html'), '--json'], { cwd: tmp(), env: {} });
    expect(e.exitCode).toBe(2);
    expect((JSON.parse(e.stdout) as { outcome: { status: string; reason: string } }).outcome).toMatchObject({ status: 'no-content', reason: 'error page: "404 Not Found"' });
  });

  it('sites test --post runs the post section of a definition from the config', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'leakwatch.yaml'), [
      'sites:',
      '  - id: acme-test',
      '    name: Acme',
      '    mirrors: [http://omegalock5zxwbhswbisc42o2q2i54vdulyvtqqbudqousisjgc7j7yd.onion/]',
      '    listing: { item: tr, title: td }',
      '    post: { description: .post-body, images: .proofs img, files: { item: table.files tr, size: .size } }',
    ].join('\n'));
    const r = await run(['sites', 'test', 'acme-test', '--post', '--html', page('synthetic/post-page.html')], { cwd: dir, env: {} });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('images    2');
    expect(r.stdout).toContain('files     2');
    expect(r.stdout).toMatch(/acme-part1\.zip\s+700 MiB/);
  });

  it('unknown site, missing page, bad config: clear errors, exit 2', async () => {
    const a = await run(['sites', 'test', 'nosuch', '--html', LOCKBIT], { cwd: tmp(), env: {} });
    expect(a.exitCode).toBe(2);
    expect(a.stderr).toMatch(/no built-in site "nosuch" \(shipped: 0mega, blackbasta/);
    const b = await run(['sites', 'test', 'spook', '--html', 'missing.html'], { cwd: tmp(), env: {} });
    expect(b.exitCode).toBe(2);
    expect(b.stderr).toMatch(/missing\.html: cannot read saved page/);
    const dir = tmp();
    writeFileSync(join(dir, 'leakwatch.yaml'), 'sites:\n  - builtin: spook\n    mirors: []\n');
    const c = await run(['sites', 'list'], { cwd: dir, env: {} });
    expect(c.exitCode).toBe(2);
    expect(c.stderr).toMatch(/sites\[0\]\.mirors: unknown key \(did you mean "mirrors"\?\)/);
  });
});
