import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE_IDS, defaultSimSites, loadSimDefinition, simOnionHost, simSiteDefinition, simSitesDir, startSimulator } from '../../src/sim/index.js';
import { builtinSiteIds, checkOnionHost } from '../../src/sites/index.js';

// The simulator's site definitions: real YAML files loaded by the real loader, whose mirrors
// are the onion names the simulator derives.

describe('simulated site definitions (sites/sim)', () => {
  it('there is one valid definition per default site, and they are not shipped as built-ins', () => {
    const files = readdirSync(simSitesDir()).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort();
    expect(files).toEqual([...DEFAULT_SITE_IDS].sort());
    for (const id of DEFAULT_SITE_IDS) expect(loadSimDefinition(id).id).toBe(id);
    expect(builtinSiteIds().some((id) => id.startsWith('sim-'))).toBe(false);
  });

  it('each definition names the mirrors the simulator serves: valid v3 onions derived from the id', () => {
    for (const spec of defaultSimSites()) {
      const def = loadSimDefinition(spec.id);
      const expected = (spec.mirrors ?? [{}]).map((_, i) => `http://${simOnionHost(spec.id, i)}/`);
      expect(def.mirrors, spec.id).toEqual(expected);
      for (const m of def.mirrors) expect(checkOnionHost(new URL(m).hostname)).toMatchObject({ ok: true });
      expect(def.name).toBe(spec.name);
    }
  });

  it('onion names are deterministic, distinct per site and mirror, and independent of the seed', () => {
    expect(simOnionHost('sim-blog', 0)).toBe(simOnionHost('sim-blog', 0));
    const all = new Set(['sim-blog', 'sim-paged', 'bench-01', 'bench-02'].flatMap((id) => [0, 1].map((i) => simOnionHost(id, i))));
    expect(all.size).toBe(8);
    expect(simOnionHost('sim-blog')).toMatch(/^[a-z2-7]{55}d\.onion$/);
  });

  it('only the JavaScript-only site uses the browser transport', () => {
    const transports = Object.fromEntries(DEFAULT_SITE_IDS.map((id) => [id, loadSimDefinition(id).transport]));
    expect(transports['sim-jsonly']).toBe('browser');
    expect(Object.entries(transports).filter(([, t]) => t === 'browser').map(([id]) => id)).toEqual(['sim-jsonly']);
    expect(loadSimDefinition('sim-api').api).toBeDefined();
  });

  it('a simulated site with another id gets its style\'s definition with its own id, name and mirrors', async () => {
    const sim = await startSimulator({ seed: 3, sites: [{ id: 'bench-07', style: 'paged', name: 'Bench 7', posts: 6, mirrors: [{}, {}] }] });
    try {
      const def = sim.definition('bench-07');
      expect(def).toMatchObject({ id: 'bench-07', name: 'Bench 7', mirrors: [`http://${simOnionHost('bench-07', 0)}/`, `http://${simOnionHost('bench-07', 1)}/`] });
      expect(def.listing?.pagination?.next).toBeDefined();
      expect(simSiteDefinition(sim.site('bench-07')).listing?.item).toBe(loadSimDefinition('sim-paged').listing?.item);
      expect([...sim.hostMap.keys()]).toEqual(def.mirrors.map((m) => new URL(m).hostname));
    } finally {
      await sim.close();
    }
  });
});
