import { describe, expect, it } from 'vitest';
import { Matcher } from '../../src/match/matcher.js';
import { fingerprintItem } from '../../src/fingerprint/fingerprint-item.js';
import { addTexts, sampleOf, tempStore, textItem } from '../helpers/store.js';
import { useTempDir } from '../helpers/tmp.js';
import { randomText, randomWords } from '../helpers/words.js';

const tmp = useTempDir();

// A lab-report template: ~150 words of letterhead and disclaimer shared by every report,
// and a patient-specific block.
const HEADER = randomWords(80, 501).join(' ');
const FOOTER = randomWords(70, 502).join(' ');
const labReport = (patient: number): string =>
  `${HEADER}\nPatient ${patient}\n${randomWords(70, 9000 + patient).join(' ')}\n${FOOTER}`;

describe('Matcher', () => {
  it('finds exact copies, reformatted text, near-duplicates and excerpts, best first', () => {
    const store = tempStore(tmp());
    const docs: Record<string, string> = {};
    for (let i = 0; i < 30; i++) docs[`notes/note-${i}.txt`] = randomText(600, i);
    addTexts(store, 'clinic', docs);
    const m = new Matcher(store);
    const original = docs['notes/note-7.txt']!;

    const exact = m.match(sampleOf(store, original));
    expect(exact[0]).toMatchObject({ document: 'notes/note-7.txt', method: 'exact', score: 1, set: 'clinic' });

    const reformatted = m.match(sampleOf(store, original.toUpperCase().replace(/\n/g, '   ')));
    expect(reformatted[0]).toMatchObject({ document: 'notes/note-7.txt', method: 'text' });

    // A typo: one word changed by one character.
    const words = original.split(/\s+/);
    words[300] = words[300] + 'x';
    const near = m.match(sampleOf(store, words.join(' ')));
    expect(near[0]).toMatchObject({ document: 'notes/note-7.txt', method: 'near' });
    expect(near[0]!.details.near!.distance).toBeLessThanOrEqual(3);

    const excerpt = original.split(/\s+/).slice(200, 250).join(' ');
    const partial = m.match(sampleOf(store, excerpt));
    expect(partial).toHaveLength(1);
    expect(partial[0]).toMatchObject({ document: 'notes/note-7.txt', method: 'partial' });
    expect(partial[0]!.explanation).toMatch(/shares passages/);
    expect(partial[0]!.details.partial!.documentWords[0]).toBeGreaterThanOrEqual(190);

    expect(m.match(sampleOf(store, randomText(600, 777)))).toEqual([]);
    store.close();
  });

  it("ranks patient A's lab report first and never reports B's report from the same template", () => {
    const store = tempStore(tmp());
    const docs: Record<string, string> = {};
    for (let p = 0; p < 3; p++) docs[`lab/patient-${p}.txt`] = labReport(p);
    addTexts(store, 'clinic', docs);
    const m = new Matcher(store);
    // A cut through template text and patient 1's results.
    const words = docs['lab/patient-1.txt']!.split(/\s+/);
    const cut = words.slice(40, 160).join(' ');
    const res = m.match(sampleOf(store, cut));
    expect(res.map((r) => r.document)).toEqual(['lab/patient-1.txt']);
    // Template fingerprints were claimed by A's own evidence, not counted for anyone else.
    const p = res[0]!.details.partial!;
    expect(p.uniqueFingerprints).toBeGreaterThan(0);
    expect(p.matchedFingerprints).toBeGreaterThan(p.uniqueFingerprints);
    // The template alone (letterhead + disclaimer) matches nobody.
    expect(m.match(sampleOf(store, `${HEADER}\n${FOOTER}`))).toEqual([]);
    store.close();
  });

  it('drops near-duplicate hits on template siblings that differ only in the patient block', () => {
    const store = tempStore(tmp());
    // A long standard letter where only a 25-word patient block differs: the two letters'
    // simhashes are within 3 bits, so the near tier alone cannot tell the patients apart.
    const body = randomWords(15_000, 42);
    const letter = (patient: number) => [...body.slice(0, 10), ...randomWords(25, 7000 + patient), ...body.slice(10)].join(' ');
    addTexts(store, 'clinic', { 'letters/ann.txt': letter(1), 'letters/bob.txt': letter(2) });
    const m = new Matcher(store);
    const bobAsSample = m.match(sampleOf(store, letter(2) + ' signed'));
    expect(bobAsSample[0]!.document).toBe('letters/bob.txt');
    const res = m.match(sampleOf(store, letter(1) + ' signed'));
    expect(res[0]!.document).toBe('letters/ann.txt');
    expect(res.map((r) => r.document)).not.toContain('letters/bob.txt');
    store.close();
  });

  it('does not match on a page that is the same boilerplate in different documents', () => {
    const store = tempStore(tmp());
    const setId = store.ensureSet('clinic');
    const lastPage = `Authorised by the laboratory director. ${randomWords(40, 77).join(' ')} End of report. Page 2 of 2.`;
    for (const p of [1, 2, 3]) {
      const item = { ...textItem(`lab/${p}.pdf`, `pdf bytes ${p}`), type: 'pdf' as const, pages: [randomWords(300, 600 + p).join(' '), lastPage] };
      const fp = fingerprintItem(item, store.keys);
      store.writeSource(setId, { path: item.path, size: 1, mtimeMs: 0 }, [fp], []);
    }
    const m = new Matcher(store);
    const warnings: string[] = [];
    expect(m.match(sampleOf(store, lastPage), warnings)).toEqual([]);
    expect(warnings.join('\n')).toMatch(/identical in several different known documents/);
    // Held as a page by ONE stored report only (elsewhere the page breaks fall differently),
    // the template text is still no evidence: an unrelated report of the same laboratory has
    // the very same page.
    const single = tempStore(tmp());
    const set = single.ensureSet('clinic');
    for (let p = 0; p < 7; p++) {
      const pages = p === 0 ? [randomWords(300, 700).join(' '), lastPage] : [`${randomWords(300, 710 + p).join(' ')} ${lastPage}`];
      const item = { ...textItem(`lab/r${p}.pdf`, `pdf bytes r${p}`), type: 'pdf' as const, pages };
      single.writeSource(set, { path: item.path, size: 1, mtimeMs: 0 }, [fingerprintItem(item, single.keys)], []);
    }
    const unrelated = { ...textItem('unrelated.pdf', 'other bytes'), type: 'pdf' as const, pages: [randomWords(300, 701).join(' '), lastPage] };
    expect(new Matcher(single).match(fingerprintItem(unrelated, single.keys, { dihedral: true }))).toEqual([]);
    single.close();
    // Page 1 of report 2 alone still matches report 2 (and only it).
    const page1 = { ...textItem('page1.pdf', 'x'), type: 'pdf' as const, pages: [randomWords(300, 602).join(' ')] };
    expect(m.match(fingerprintItem(page1, store.keys)).map((r) => [r.document, r.method])).toEqual([['lab/2.pdf', 'text']]);
    store.close();
  });

  it('reports every copy of a duplicated document, and only the chosen sets', () => {
    const store = tempStore(tmp());
    const text = randomText(500, 3);
    addTexts(store, 'a', { 'x/report.txt': text, 'y/report-copy.txt': text });
    addTexts(store, 'b', { 'z/report.txt': text, 'other.txt': randomText(500, 4) });
    const excerpt = text.split(/\s+/).slice(100, 200).join(' ');
    const all = new Matcher(store).match(sampleOf(store, excerpt));
    expect(all.map((r) => `${r.set}:${r.document}`).sort()).toEqual(['a:x/report.txt', 'a:y/report-copy.txt', 'b:z/report.txt']);
    const onlyB = new Matcher(store, { sets: ['b'] }).match(sampleOf(store, excerpt));
    expect(onlyB.map((r) => r.document)).toEqual(['z/report.txt']);
    expect(() => new Matcher(store, { sets: ['nope'] })).toThrow(/unknown fingerprint set: nope/);
    store.close();
  });

  it('matches each document inside a concatenated dump by passage count', () => {
    const store = tempStore(tmp());
    const docs: Record<string, string> = {};
    for (let i = 0; i < 40; i++) docs[`d${i}.txt`] = randomText(400, 300 + i);
    addTexts(store, 'clinic', docs);
    const dump = Object.values(docs).join('\n\n');
    const res = new Matcher(store).match(sampleOf(store, dump));
    expect(new Set(res.map((r) => r.document)).size).toBe(40);
    expect(res.every((r) => r.method === 'partial')).toBe(true);
    store.close();
  });

  it('counts overlapping unique fingerprints as one passage: a run of 10-14 words is not two pieces of evidence', () => {
    const store = tempStore(tmp());
    const docs: Record<string, string> = {};
    for (let i = 0; i < 20; i++) docs[`n${i}.txt`] = randomText(400, 700 + i);
    addTexts(store, 'clinic', docs);
    const m = new Matcher(store);
    let overlapping = 0;
    for (let i = 0; i < 20; i++) {
      const words = (docs[`n${i}.txt`] as string).split(/\s+/);
      for (let start = 0; start + 24 <= 300; start += 12) {
        // 24 words: 17 k-grams, so the sample holds one to three fingerprints, close together.
        const fp = sampleOf(store, words.slice(start, start + 24).join(' '));
        const positions = [...fp.winnowPositions];
        let separate = 0;
        let last = -Infinity;
        for (const p of positions) if (p - last >= 8) [separate, last] = [separate + 1, p];
        const res = m.match(fp);
        if (positions.length >= 2 && separate === 1) {
          overlapping++;
          expect(res, `n${i} words ${start}+24`).toEqual([]);
        }
        for (const r of res) expect(r.details.partial?.uniquePassages ?? 0).toBeGreaterThanOrEqual(2);
      }
    }
    expect(overlapping).toBeGreaterThan(0);
    store.close();
  });

  it('asks thin evidence (under 10 fingerprints) to make up most of the sample: 80 %, not 50 %', () => {
    const store = tempStore(tmp());
    const docs: Record<string, string> = {};
    for (let i = 0; i < 20; i++) docs[`t${i}.txt`] = randomText(400, 900 + i);
    addTexts(store, 'clinic', docs);
    const m = new Matcher(store);
    const loose = new Matcher(store, { options: { minContainmentThin: 0.5 } });
    let thinHalf = 0;
    for (let i = 0; i < 20; i++) {
      // 50 words of a known document, then 40 words of its own: half the sample is the document's.
      const words = (docs[`t${i}.txt`] as string).split(/\s+/);
      const fp = sampleOf(store, `${words.slice(100, 150).join(' ')} ${randomWords(40, 5000 + i).join(' ')}`);
      for (const r of m.match(fp)) {
        const p = r.details.partial!;
        if (p.matchedFingerprints < 10) expect(p.containment, `t${i}`).toBeGreaterThanOrEqual(0.8);
      }
      const l = loose.match(fp);
      if (l.length > 0 && l[0]!.details.partial!.matchedFingerprints < 10 && l[0]!.details.partial!.containment < 0.8) {
        thinHalf++;
        expect(m.match(fp), `t${i}`).toEqual([]);
      }
    }
    expect(thinHalf).toBeGreaterThan(0);
    store.close();
  });

  it('keeps matching a whole template-made report with a few words edited, though its few specific passages fall under 80 % of the sample', () => {
    const store = tempStore(tmp());
    const docs: Record<string, string> = {};
    for (let i = 0; i < 12; i++) docs[`lab/${i}.txt`] = labReport(i);
    addTexts(store, 'lab', docs);
    const strict = new Matcher(store, { options: { thinSimhashMaxDistance: -1 } });
    const m = new Matcher(store);
    let rescued = 0;
    for (let i = 0; i < 12; i++) {
      // Two words of the patient block changed: their passages are new, the template's are ignored.
      const words = labReport(i).split(' ');
      const at = words.indexOf(`${i}\n`) >= 0 ? words.indexOf(`${i}\n`) : 85;
      words[at + 20] = 'zzedited';
      words[at + 45] = 'qqedited';
      const fp = sampleOf(store, words.join(' '));
      const res = m.match(fp);
      expect(res[0]?.document, `lab/${i}`).toBe(`lab/${i}.txt`);
      if (strict.match(fp)[0]?.document !== `lab/${i}.txt`) rescued++;
    }
    expect(rescued).toBeGreaterThan(0);
    store.close();
  });
});
