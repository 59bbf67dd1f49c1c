import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAbort } from '../../src/errors.js';
import { generateCorpus, generateDocuments, generateUnrelatedCorpus, isValidNhi, planCorpus } from '../../src/synth/index.js';
import { useTempDir } from '../helpers/tmp.js';

function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p, base) : [p.slice(base.length + 1).split('\\').join('/')];
  });
}

describe('generateCorpus', () => {
  const tmp = useTempDir('leakwatch-synth-');

  it('is deterministic: same seed, identical manifest and identical files', async () => {
    const a = tmp();
    const b = tmp();
    const ma = await generateCorpus(a, { seed: 5, documents: 60, concurrency: 4 });
    const mb = await generateCorpus(b, { seed: 5, documents: 60, concurrency: 1 });
    expect(mb).toEqual(ma);
    for (const e of ma.entries) {
      if (e.format === 'txt') expect(readFileSync(join(b, e.path)).equals(readFileSync(join(a, e.path)))).toBe(true);
    }
    const mc = await generateCorpus(tmp(), { seed: 6, documents: 60 });
    expect(mc.entries.map((e) => e.sha256)).not.toEqual(ma.entries.map((e) => e.sha256));
  });

  it('writes the files the manifest lists, in a patients/<recordKey>/<kind>-<date>.<ext> layout, with mixed kinds and formats', async () => {
    const dir = tmp();
    const m = await generateCorpus(dir, { seed: 8, documents: 150 });
    expect(filesUnder(dir).sort()).toEqual(m.entries.map((e) => e.path));
    for (const e of m.entries) {
      expect(e.path).toMatch(new RegExp(`^patients/${e.recordKey}/${e.kind}-\\d{4}-\\d\\d-\\d\\d(-\\d+)?\\.(txt|pdf|docx|png|jpg)$`));
      expect(statSync(join(dir, e.path)).size).toBe(e.bytes);
      expect(isValidNhi(e.nhi)).toBe(true);
    }
    expect(new Set(m.entries.map((e) => e.kind)).size).toBe(6);
    expect(new Set(m.entries.map((e) => e.format))).toEqual(new Set(['txt', 'pdf', 'docx', 'png', 'jpeg']));
    expect(m.patients.length).toBeGreaterThan(10);
    expect(m.patients.length).toBeLessThan(100);
    expect(new Set(m.entries.map((e) => e.sha256)).size).toBe(m.entries.length);
  });

  it('writes the manifest only where asked, and refuses to put it inside the corpus', async () => {
    const dir = tmp();
    const out = tmp();
    const m = await generateCorpus(dir, { seed: 1, documents: 5, manifestPath: join(out, 'manifest.json') });
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).toEqual(m);
    expect(filesUnder(dir).some((f) => f.endsWith('.json'))).toBe(false);
    await expect(generateCorpus(dir, { seed: 1, documents: 5, manifestPath: join(dir, 'manifest.json') })).rejects.toMatchObject({ code: 'E_USAGE' });
    await expect(generateCorpus(dir, { seed: 1, documents: 5, manifestPath: join(dir, 'sub', 'm.json') })).rejects.toMatchObject({ code: 'E_USAGE' });
  });

  it('honours mix, formats and the practice layout', async () => {
    const m = await generateCorpus(tmp(), { seed: 2, documents: 40, mix: { photo: 0, passport: 0, letter: 0 }, formats: ['txt', 'pdfkit'], layout: 'practice' });
    expect(new Set(m.entries.map((e) => e.kind))).toEqual(new Set(['clinical-note', 'lab-report', 'prescription']));
    expect(new Set(m.entries.map((e) => e.format))).toEqual(new Set(['txt', 'pdfkit']));
    for (const e of m.entries) expect(e.path).toMatch(/^practices\/[a-z0-9-]+\/[A-Z]{2}\d{7}\//);
  });

  it('stops when the signal fires', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(generateCorpus(tmp(), { seed: 1, documents: 10, signal: ac.signal })).rejects.toSatisfy(isAbort);
  });

  it('an unrelated corpus shares no patient with the main one', async () => {
    const main = await generateCorpus(tmp(), { seed: 3, documents: 200, mix: { photo: 0 }, formats: ['txt'] });
    const other = await generateUnrelatedCorpus(tmp(), { seed: 3, documents: 200, mix: { photo: 0 }, formats: ['txt'] });
    const ids = new Set(main.patients.flatMap((p) => [p.nhi, p.recordKey, `${p.fullName}|${p.dateOfBirth}`]));
    for (const p of other.patients) {
      expect(ids.has(p.nhi)).toBe(false);
      expect(ids.has(p.recordKey)).toBe(false);
      expect(ids.has(`${p.fullName}|${p.dateOfBirth}`)).toBe(false);
    }
    expect(other.space).toBe('unrelated');
        const mainHashes = new Set(main.entries.map((e) => e.sha256));
    expect(other.entries.filter((e) => mainHashes.has(e.sha256))).toEqual([]);
  });
});

describe('plans and documents', () => {
  it('are prefix-stable: the first N items do not depend on the corpus size', () => {
    const small = planCorpus({ seed: 4, documents: 30 });
    const large = planCorpus({ seed: 4, documents: 300 });
    expect(large.slice(0, 30).map((i) => i.path)).toEqual(small.map((i) => i.path));
    expect(generateDocuments(4, 10).map((d) => d.toText())).toEqual(generateDocuments(4, 40).slice(0, 10).map((d) => d.toText()));
  });
});
