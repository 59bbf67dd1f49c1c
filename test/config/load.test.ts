import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, formatProblem, loadConfig, STARTER_CONFIG, type ConfigLoadResult } from '../../src/config/index.js';
import { useTempDir } from '../helpers/tmp.js';

const ONION = 'http://omegalock5zxwbhswbisc42o2q2i54vdulyvtqqbudqousisjgc7j7yd.onion/';

function problems(r: ConfigLoadResult): string[] {
  if (r.ok) throw new Error('expected problems');
  return r.problems.map((p) => formatProblem(p, (f) => f.split('/').pop() ?? f));
}

describe('loadConfig', () => {
  const tmp = useTempDir();
  const write = (text: string, name = 'leakwatch.yaml'): string => {
    const dir = tmp();
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('the starter config loads with defaults, paths resolved next to the file', () => {
    const file = write(STARTER_CONFIG);
    const r = loadConfig(file);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const dir = join(file, '..');
    expect(r.config.tor).toEqual({ socksHost: '127.0.0.1', socksPort: 9050 });
    expect(r.config.dataDir).toBe(join(dir, 'data'));
    expect(r.config.fingerprintsDir).toBe(join(dir, 'fingerprints'));
    expect(r.config.limits).toMatchObject({ maxPageBytes: 5 * 1024 ** 2, maxSampleBytes: 2 * 1024 ** 3, perHostDelayMs: 2000, concurrency: 4 });
    expect(r.config.sites).toEqual([]);
  });

  it('an empty file is a valid config of defaults', () => {
    const r = loadConfig(write(''));
    expect(r.ok && r.config.limits.pageTimeoutMs).toBe(90_000);
  });

  it('reports every problem at once, each with its path and line', () => {
    const file = write([
      'tor:',
      '  socksPort: 70000',
      'limits:',
      '  concurency: 3',
      '  maxPageBytes: lots',
      'sites:',
      '  - id: ok-site',
      '    name: OK',
      `    mirrors: [${ONION}]`,
      '    listing: { item: tr, title: td }',
      '  - id: Bad_Id',
      '    name: Bad',
      '    mirrors: [http://ekbgzchl6x2ias37.onion/, https://example.com/]',
      '    transport: ftp',
      '    listing:',
      '      title: h2',
      '  - id: third',
      '    name: Third',
      `    mirrors: [${ONION}]`,
      '    lisitng: { item: tr }',
    ].join('\n'));
    expect(problems(loadConfig(file))).toEqual([
      'tor.socksPort: must be ≤ 65535 (leakwatch.yaml:2:14)',
      'limits.concurency: unknown key (did you mean "concurrency"?) (leakwatch.yaml:4:15)',
      'limits.maxPageBytes: expected a size such as 8 MB, 2 GiB or a number of bytes (leakwatch.yaml:5:17)',
      'sites[1].id: must be a slug: lowercase letters, digits and -, starting with a letter or digit (leakwatch.yaml:11:9)',
      'sites[1].mirrors[0]: v2 onion address (16 characters): obsolete since 2021 and unreachable; use the v3 (56-character) address (leakwatch.yaml:13:15)',
      'sites[1].mirrors[1]: not an .onion host: set allowClearnet: true on the site to allow a clearnet mirror (it is still fetched through Tor) (leakwatch.yaml:13:47)',
      'sites[1].transport: must be one of: http, browser (leakwatch.yaml:14:16)',
      'sites[1].listing.item: required (leakwatch.yaml:16:7)',
      'sites[2].listing: set exactly one of listing (HTML) or api (JSON) (leakwatch.yaml:17:5)',
      'sites[2].lisitng: unknown key (did you mean "listing"?) (leakwatch.yaml:20:14)',
    ]);
  });

  it('YAML syntax errors carry line and column', () => {
    const r = loadConfig(write('tor:\n  socksPort: 9050\n  socksHost: [unclosed\n'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0]?.message).toMatch(/^YAML syntax:/);
    expect(r.problems[0]?.line).toBeGreaterThanOrEqual(3);
    expect(r.problems[0]?.column).toBeGreaterThanOrEqual(1);
  });

  it('a missing file is one problem, not a throw', () => {
    expect(problems(loadConfig(join(tmp(), 'nope.yaml')))).toEqual(['file not found (nope.yaml)']);
  });

  it('${ENV} substitution: typed when unquoted, strings when quoted, escapes, missing names the path', () => {
    const file = write([
      'tor:',
      '  socksPort: ${TOR_PORT}',
      '  socksHost: "${TOR_HOST}"',
      '  controlPassword: ${TOR_PW}',
      'dataDir: ${BASE}/data',
      'fingerprintsDir: "$${NOT_A_VAR}"',
    ].join('\n'));
    const r = loadConfig(file, { env: { TOR_PORT: '9150', TOR_HOST: '10.0.0.2', TOR_PW: 's3cret', BASE: '/srv/lw' } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.tor).toMatchObject({ socksPort: 9150, socksHost: '10.0.0.2', controlPassword: 's3cret' });
    expect(r.config.dataDir).toBe('/srv/lw/data');
    expect(r.config.fingerprintsDir).toBe(join(file, '..', '${NOT_A_VAR}'));
    expect(r.envRefs.map((e) => e.name).sort()).toEqual(['BASE', 'TOR_HOST', 'TOR_PORT', 'TOR_PW']);

    expect(problems(loadConfig(file, { env: { TOR_PORT: '9150', TOR_HOST: 'h' } }))).toEqual([
      'tor.controlPassword: environment variable TOR_PW is not set (leakwatch.yaml:4:20)',
      'dataDir: environment variable BASE is not set (leakwatch.yaml:5:10)',
    ]);
  });

  it('never prints a value that came from the environment', () => {
    const secret = 'http://sup3rs3cretmirror.example/';
    const file = write([
      'tor:',
      '  socksPort: ${TOR_PORT}',
      'sites:',
      '  - id: s',
      '    name: S',
      '    mirrors: ["${MIRROR}"]',
      '    headers: { Cookie: "${COOKIE}" }',
      '    listing: { item: tr, title: td }',
    ].join('\n'));
    const r = loadConfig(file, { env: { TOR_PORT: 'not-a-port-hunter2', MIRROR: secret, COOKIE: 'session=abc123' } });
    const text = JSON.stringify(r);
    expect(r.ok).toBe(false);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('sup3rs3cret');
    expect(problems(r)).toEqual([
      'tor.socksPort: expected a number, got a string (leakwatch.yaml:2:14)',
      'sites[0].mirrors[0]: not an .onion host: set allowClearnet: true on the site to allow a clearnet mirror (it is still fetched through Tor) (leakwatch.yaml:6:15)',
    ]);
  });

  it('built-in sites by id with overrides; unknown built-ins and override typos are problems', () => {
    const good = loadConfig(write([
      'sites:',
      '  - builtin: lockbit3',
      `    mirrors: [${ONION}]`,
      '    schedule: { cron: "*/30 * * * *", timezone: Europe/Berlin }',
    ].join('\n')));
    expect(good.ok).toBe(true);
    if (!good.ok) return;
    const [lockbit] = good.config.sites;
    expect(lockbit?.site).toMatchObject({ id: 'lockbit3', name: 'LockBit 3.0', mirrors: [ONION], schedule: { cron: '*/30 * * * *', timezone: 'Europe/Berlin' } });
    expect(lockbit?.site.listing?.item).toBe('div.post-block');
    expect(lockbit?.source.kind).toBe('builtin');

    expect(problems(loadConfig(write('sites:\n  - builtin: nosuch\n  - builtin: spook\n    shedule: x\n')))).toEqual([
      'sites[0].builtin: unknown built-in site (shipped: 0mega, blackbasta, clop, hive, lockbit3, spook, vicesociety) (leakwatch.yaml:2:14)',
      'sites[1].shedule: unknown key (did you mean "schedule"?) (leakwatch.yaml:4:14)',
    ]);
  });

  it('sitesDir: one <id>.yaml per site, problems named by file; ids unique across sources', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'sites.d'));
    writeFileSync(join(dir, 'sites.d', 'alpha.yaml'), `id: alpha\nname: Alpha\nmirrors: [${ONION}]\nlisting: { item: tr, title: td }\nhook: { module: ./hooks/alpha.mjs }\n`);
    writeFileSync(join(dir, 'sites.d', 'beta.yaml'), `id: gamma\nname: Beta\nmirrors: [${ONION}]\nlisting: { item: tr }\n`);
    writeFileSync(join(dir, 'sites.d', 'spook.yaml'), `id: spook\nname: Mine\nmirrors: [${ONION}]\nlisting: { item: tr, title: td }\n`);
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    writeFileSync(join(dir, 'leakwatch.yaml'), 'sitesDir: sites.d\nsites:\n  - builtin: spook\n');
    expect(problems(loadConfig(join(dir, 'leakwatch.yaml')))).toEqual([
      'listing.title: required (beta.yaml:4:10)',
      'id: duplicate site id "spook" (also sites[0]) (spook.yaml)',
    ]);

    writeFileSync(join(dir, 'sites.d', 'beta.yaml'), `id: beta\nname: Beta\nmirrors: [${ONION}]\nlisting: { item: tr, title: td }\n`);
    writeFileSync(join(dir, 'leakwatch.yaml'), 'sitesDir: sites.d\n');
    const r = loadConfig(join(dir, 'leakwatch.yaml'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.sites.map((s) => [s.site.id, s.source.kind])).toEqual([['alpha', 'file'], ['beta', 'file'], ['spook', 'file']]);
    // A hook path is relative to the file that defines the site.
    expect(r.config.sites[0]?.site.hook?.module).toBe(join(dir, 'sites.d', 'hooks', 'alpha.mjs'));
  });

  it('names fingerprint sets of the store in fingerprintsDir, resolved against the config', () => {
    const file = write('fingerprintsDir: fp\nfingerprintSets: [acme, legal]\n');
    const r = loadConfig(file);
    expect(r.ok && r.config.fingerprintSets).toEqual(['acme', 'legal']);
    expect(r.ok && r.config.fingerprintsDir).toBe(join(file, '..', 'fp'));
  });

  it('exports a JSON Schema that describes sites, built-in refs and limits', () => {
    const schema = configJsonSchema() as { $schema: string; properties: Record<string, { default?: unknown; items?: { anyOf?: unknown[] } }>; additionalProperties: boolean };
    expect(schema.$schema).toMatch(/json-schema\.org/);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['tor', 'dataDir', 'fingerprintsDir', 'fingerprintSets', 'limits', 'sitesDir', 'sites']));
    expect(schema.properties.sites?.items?.anyOf).toHaveLength(2);
    expect(JSON.stringify(schema)).toContain('"pagination"');
  });
});
