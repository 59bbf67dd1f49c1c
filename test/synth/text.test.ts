import { describe, expect, it } from 'vitest';
import { boilerplate, generateDocuments, generateUnrelatedDocuments, pairStats, rngFor, shingleSet, containment, wordCount } from '../../src/synth/index.js';

describe('clinical notes', () => {
  const notes = generateDocuments(2024, 2600, { mix: { 'clinical-note': 1, 'lab-report': 0, letter: 0, prescription: 0 } });

  it('have realistic lengths: 150 to about 1,500 words, a spread in between', () => {
    const lengths = notes.map((d) => wordCount(d.toText())).sort((a, b) => a - b);
    const min = lengths[0] ?? 0;
    const max = lengths[lengths.length - 1] ?? 0;
    const median = lengths[Math.floor(lengths.length / 2)] ?? 0;
    console.log(`[synth] clinical note words: min ${min}, median ${median}, max ${max} over ${lengths.length} notes`);
    expect(min).toBeGreaterThanOrEqual(150);
    expect(max).toBeLessThanOrEqual(1700);
    expect(median).toBeGreaterThan(300);
    expect(lengths.filter((n) => n > 1000).length).toBeGreaterThan(lengths.length / 20);
  });

  it('share almost no 8-word shingles between unrelated notes (1,000 random pairs)', () => {
    const texts = notes.map((d) => d.toText());
    const r = rngFor(1);
    const pairs: Array<[number, number]> = [];
    while (pairs.length < 1000) {
      const i = r.int(0, texts.length - 1);
      const j = r.int(0, texts.length - 1);
      if (i !== j && notes[i]?.patient.recordKey !== notes[j]?.patient.recordKey) pairs.push([i, j]);
    }
    const s = pairStats(texts, pairs, 8);
    console.log(
      `[synth] 8-shingles shared between unrelated notes: mean ${(s.meanShared * 100).toFixed(3)} %, ` +
        `max ${(s.maxShared * 100).toFixed(2)} %, pairs sharing any ${(s.pairsWithAnyShared * 100).toFixed(1)} %`,
    );
    expect(s.meanShared).toBeLessThan(0.005);
    expect(s.maxShared).toBeLessThan(0.08);
  });

  it('are reproducible from the seed', () => {
    const again = generateDocuments(2024, 50, { mix: { 'clinical-note': 1, 'lab-report': 0, letter: 0, prescription: 0 } });
    expect(again.map((d) => d.toText())).toEqual(notes.slice(0, 50).map((d) => d.toText()));
  });
});

describe('templated documents', () => {
  const docs = generateDocuments(77, 400);
  const labs = docs.filter((d) => d.kind === 'lab-report');

  it('lab reports share at least 120 words of identical boilerplate', () => {
    expect(labs.length).toBeGreaterThan(20);
    const shared = boilerplate.LAB_BOILERPLATE.join(' ');
    console.log(
      `[synth] boilerplate words: lab disclaimer ${wordCount(shared)}, lab template total ${wordCount(labs[0]?.templateText() ?? '')}, ` +
        `discharge closing ${wordCount(boilerplate.DISCHARGE_CLOSING.join(' '))}, referral closing ${wordCount(boilerplate.REFERRAL_CLOSING.join(' '))}, ` +
        `prescription footer ${wordCount(boilerplate.PRESCRIPTION_FOOTER.join(' '))}`,
    );
    expect(wordCount(shared)).toBeGreaterThanOrEqual(120);
    for (const lab of labs) {
      for (const para of boilerplate.LAB_BOILERPLATE) expect(lab.toText()).toContain(para);
      for (const line of boilerplate.LAB_LETTERHEAD) expect(lab.toText()).toContain(line);
    }
  });

  it('lab reports differ in the patient part: each one is closer to itself than to another patient report', () => {
    const a = labs[0];
    const b = labs.find((d) => d.patient.recordKey !== a?.patient.recordKey);
    if (!a || !b) throw new Error('need two lab reports of different patients');
        expect(a.templateText()).toBe(b.templateText());
    expect(a.specificText()).toContain(a.patient.nhi);
    expect(a.specificText()).not.toContain(b.patient.nhi);
    const sa = shingleSet(a.toText());
    const specificA = shingleSet(a.specificText());
    const specificB = shingleSet(b.specificText());
    expect(containment(specificA, specificB)).toBeLessThan(0.05);
    // Patient A's report contains all of A's specific shingles and only the template part of B's.
    expect(containment(specificA, sa)).toBeGreaterThan(0.9);
    expect(containment(specificB, sa)).toBeLessThan(0.05);
    expect(specificA.size).toBeGreaterThan(60);
  });

  it('letters and prescriptions carry their template text', () => {
    for (const d of docs) {
      const text = d.toText();
      if (d.subtype === 'discharge') for (const p of boilerplate.DISCHARGE_CLOSING) expect(text).toContain(p);
      if (d.subtype === 'referral') for (const p of boilerplate.REFERRAL_CLOSING) expect(text).toContain(p);
      if (d.kind === 'prescription') for (const p of boilerplate.PRESCRIPTION_FOOTER) expect(text).toContain(p);
      expect(text).toContain(d.patient.fullName);
      expect(text).toContain(d.patient.nhi);
    }
    const kinds = new Set(docs.map((d) => `${d.kind}/${d.subtype}`));
    expect(kinds).toEqual(new Set(['clinical-note/gp', 'lab-report/lab', 'letter/referral', 'letter/discharge', 'prescription/gp']));
  });

  it('unrelated documents use the same templates with other patients and text', () => {
    const unrelated = generateUnrelatedDocuments(77, 400);
    const mainKeys = new Set(docs.map((d) => d.patient.nhi));
    expect(unrelated.some((d) => mainKeys.has(d.patient.nhi))).toBe(false);
    const uLab = unrelated.find((d) => d.kind === 'lab-report');
        expect(uLab?.templateText()).toBe(labs[0]?.templateText());
  });

  it('is plain ASCII, so every renderer shows the same words', () => {
    for (const d of docs) expect(d.toText()).toMatch(/^[\x20-\x7E\n]*$/);
  });
});
