import type { DocVectors, FingerprintQueries } from '../store/fingerprint-queries.js';
import { popcount32 } from '../fingerprint/hash32.js';
import { WINNOW_K } from '../fingerprint/winnow.js';
import type { MatchOptions, PartialDetails } from './types.js';

/**
 * Partial / excerpt evidence from winnowing fingerprints.
 *
 * Medical documents are template-made: patient B's lab report shares its letterhead,
 * disclaimer and table headings with patient A's. So a fingerprint is first sorted by who
 * holds it:
 *  - in more than `dfMax` documents: boilerplate, ignored;
 *  - in one document (or exact copies of it, same normalised text): unique evidence;
 *  - in several different documents: shared. A shared fingerprint goes to the document
 *    that the sample's unique evidence already points to (greedy, strongest first); if no
 *    such document holds it, it counts only when all its holders are near-duplicate
 *    versions of one document, and is ignored as template text otherwise.
 * So an excerpt of A's report ranks A first and never reports B, and a template alone
 * matches nobody.
 */
export interface PartialEvidence {
  byDoc: Map<number, PartialDetails>;
  /** Distinct sample fingerprints that could count. */
  eligible: number;
  ignoredCommon: number;
}

/**
 * Fewest unique fingerprints a document needs before it may claim shared ones. One is
 * enough: winnowing guarantees a fingerprint inside any run of k + w - 1 = 23 words, so a
 * sample holding 23 consecutive words specific to A always gives A one.
 */
const MIN_UNIQUE_TO_CLAIM = 1;

function simDistance(docs: DocVectors, a: number, b: number): number {
  const ea = docs.simEntry[a] ?? -1;
  const eb = docs.simEntry[b] ?? -1;
  if (ea < 0 || eb < 0) return 64;
  return popcount32(((docs.simHi[ea] as number) ^ (docs.simHi[eb] as number)) >>> 0) + popcount32(((docs.simLo[ea] as number) ^ (docs.simLo[eb] as number)) >>> 0);
}

/** Copies or versions of one document: same normalised text, or simhashes within 3 bits. */
export function sameContent(docs: DocVectors, a: number, b: number): boolean {
  return docs.contentId[a] === docs.contentId[b] || simDistance(docs, a, b) <= 3;
}

interface Tally {
  unique: number;
  /** Document word positions of the unique fingerprints. */
  uniqueAt: number[];
  claimed: number;
  min: number;
  max: number;
}

export function partialEvidence(hashes: Float64Array, queries: FingerprintQueries, docs: DocVectors, options: MatchOptions): PartialEvidence {
  const distinct = new Set<number>();
  for (let i = 0; i < hashes.length; i++) distinct.add(hashes[i] as number);
  const tally = new Map<number, Tally>();
  const touch = (doc: number, span: { min: number; max: number }): Tally => {
    let t = tally.get(doc);
    if (!t) {
      t = { unique: 0, uniqueAt: [], claimed: 0, min: span.min, max: span.max };
      tally.set(doc, t);
    }
    t.min = Math.min(t.min, span.min);
    t.max = Math.max(t.max, span.max);
    return t;
  };
  const shared: Map<number, { min: number; max: number }>[] = [];
  let ignoredCommon = 0;
  for (const h of distinct) {
    const postings = queries.winnowPostings(h, options.dfMax * 4 + 1);
    if (postings.length === 0) continue;
    const holders = new Map<number, { min: number; max: number }>();
    for (const p of postings) {
      const r = holders.get(p.docId);
      if (r) {
        r.min = Math.min(r.min, p.pos);
        r.max = Math.max(r.max, p.pos);
      } else holders.set(p.docId, { min: p.pos, max: p.pos });
    }
    if (holders.size > options.dfMax || postings.length > options.dfMax * 4) {
      ignoredCommon++;
      continue;
    }
    const ids = [...holders.keys()];
    const content = docs.contentId[ids[0] as number];
    if (ids.every((d) => docs.contentId[d] === content)) {
      for (const [doc, span] of holders) {
        const t = touch(doc, span);
        t.unique++;
        t.uniqueAt.push(span.min);
      }
    } else shared.push(holders);
  }
  // Shared fingerprints: claimed by the strongest document holding them, else by versions.
  const ranked = (doc: number): number => tally.get(doc)?.unique ?? 0;
  for (const holders of shared) {
    let best = -1;
    for (const doc of holders.keys()) if (ranked(doc) >= MIN_UNIQUE_TO_CLAIM && (best < 0 || ranked(doc) > ranked(best))) best = doc;
    if (best >= 0) {
      const content = docs.contentId[best];
      for (const [doc, span] of holders) if (docs.contentId[doc] === content) touch(doc, span).claimed++;
      continue;
    }
    const ids = [...holders.keys()];
    if (ids.every((d) => sameContent(docs, ids[0] as number, d))) {
      for (const [doc, span] of holders) touch(doc, span).claimed++;
    } else ignoredCommon++;
  }
  const eligible = distinct.size - ignoredCommon;
  const byDoc = new Map<number, PartialDetails>();
  for (const [doc, t] of tally) {
    const matched = t.unique + t.claimed;
    const documentFingerprints = docs.winnowCount[doc] ?? 0;
    byDoc.set(doc, {
      matchedFingerprints: matched,
      uniqueFingerprints: t.unique,
      uniquePassages: separatePassages(t.uniqueAt),
      sampleFingerprints: eligible,
      documentFingerprints,
      containment: eligible > 0 ? matched / eligible : 0,
      coverage: documentFingerprints > 0 ? Math.min(1, matched / documentFingerprints) : 0,
      ignoredCommon,
      // A k-gram starting at word p covers words p..p+7.
      documentWords: [t.min, t.max + 7],
    });
  }
  return { byDoc, eligible, ignoredCommon };
}

/**
 * Unique fingerprints whose k-grams do not overlap (starts at least k words apart): two
 * fingerprints 3 words apart are one 11-word passage, not two pieces of evidence.
 */
export function separatePassages(positions: number[]): number {
  const sorted = [...positions].sort((a, b) => a - b);
  let count = 0;
  let last = -Infinity;
  for (const p of sorted) {
    if (p - last >= WINNOW_K) {
      count++;
      last = p;
    }
  }
  return count;
}

/**
 * Whether partial evidence is strong enough to report on its own. `resembles`: the sample as
 * a whole is close to this document (simhash within `thinSimhashMaxDistance`), as an edited
 * copy is and an excerpt of another document is not.
 */
export function isPartialMatch(d: PartialDetails, options: MatchOptions, resembles = false): boolean {
  // Either enough fingerprints in all, or two passages found in this document and nowhere
  // else: two separate 8-word runs unique to one document do not coincide by chance (measured
  // on 10,000 unrelated documents from the same templates, and 6,000 excerpts of them: two
  // OVERLAPPING unique fingerprints, one 10–14-word run, did coincide 5 times there).
  if (d.matchedFingerprints < options.minMatched && d.uniquePassages < options.minUnique) return false;
  // Thin evidence (a few passages) also needs the sample to be mostly this document's: a
  // short excerpt of another patient's lab report can share two runs of result lines with a
  // stored one, but then its own lines match nothing (26 such coincidences in 38,000 excerpts
  // of unrelated documents at 50 %, 1 at 80 %; true excerpts are at ~100 %).
  // A whole document with a few words edited is thin evidence too when its template holds most
  // of its passages (a lab report), but the edits' new passages then lower its share: it
  // still resembles the document as a whole, which an excerpt of another document does not.
  const thin = d.matchedFingerprints < options.thinEvidenceFingerprints && !resembles;
  const containment = thin ? Math.max(options.minContainment, options.minContainmentThin) : options.minContainment;
  return d.containment >= containment || d.coverage >= options.minCoverage || d.matchedFingerprints >= options.minMatchedAbsolute;
}
