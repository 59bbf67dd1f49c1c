import type { FingerprintStore } from '../store/fingerprint-store.js';
import { FingerprintQueries, type DocVectors } from '../store/fingerprint-queries.js';
import { simhashDistance, simhashFromHex, type Simhash } from '../fingerprint/simhash.js';
import type { ItemFingerprint } from '../fingerprint/types.js';
import { explainMethod, PDQ_TRANSFORMS, withOcrNote } from './explain.js';
import { isPartialMatch, partialEvidence } from './partial.js';
import { pdqToWords } from '../fingerprint/pdq.js';
import { PDQ_WORDS, PdqIndex, type PdqHit } from './pdq-index.js';
import { SIMHASH_MAX_DISTANCE, SimhashIndex } from './simhash-index.js';
import { DEFAULT_MATCH_OPTIONS, METHOD_RANK, type Match, type MatchDetails, type MatchMethod, type MatchOptions, type PartialDetails } from './types.js';

/** A PDQ hit, with the nearest other document's distance when the ratio test was needed. */
type RatedHit = PdqHit & { rival?: number };

interface Candidate {
  methods: Map<MatchMethod, number>;
  details: MatchDetails;
}

export interface MatcherOpenOptions {
  /** Set names to match against (default: all). */
  sets?: readonly string[];
  options?: Partial<MatchOptions>;
}

/**
 * The matching core, as a library: load the in-memory indexes of a fingerprint store once,
 * then match any number of sample fingerprints. Exact, text and winnowing lookups go to
 * SQLite indexes; simhash and PDQ lookups use in-memory block indexes.
 */
export class Matcher {
  readonly options: MatchOptions;
  readonly loadMs: number;
  private readonly queries: FingerprintQueries;
  private readonly docs: DocVectors;
  private readonly sim: SimhashIndex;
  private readonly pdq: PdqIndex;
  private readonly imgDoc: Int32Array;
  private readonly imgLabel: string[];
  private readonly imgPage: Uint8Array;
  private readonly sets: Map<number, string>;

  constructor(store: FingerprintStore, open: MatcherOpenOptions = {}) {
    const started = performance.now();
    this.options = { ...DEFAULT_MATCH_OPTIONS, ...open.options };
    this.queries = new FingerprintQueries(store);
    this.sets = store.resolveSets(open.sets);
    this.docs = this.queries.loadDocVectors();
    this.sim = new SimhashIndex(this.docs.simHi, this.docs.simLo);
    const n = this.queries.imageCount(this.options.pdqMinQuality);
    const words = new Uint32Array(n * PDQ_WORDS);
    this.imgDoc = new Int32Array(n);
    this.imgPage = new Uint8Array(n);
    this.imgLabel = [];
    let i = 0;
    for (const img of this.queries.images(this.options.pdqMinQuality)) {
      if (i >= n) break;
      pdqToWords(img.pdq, words, i * PDQ_WORDS);
      this.imgDoc[i] = img.docId;
      this.imgPage[i] = img.pageRender ? 1 : 0;
      this.imgLabel.push(img.label);
      i++;
    }
    this.pdq = new PdqIndex(words.subarray(0, i * PDQ_WORDS));
    this.loadMs = performance.now() - started;
  }

  get indexStats(): { documents: number; simhashes: number; images: number } {
    return { documents: this.docs.size - 1, simhashes: this.sim.size, images: this.pdq.size };
  }

  private inScope(doc: number): boolean {
    return this.sets.has(this.docs.setId[doc] ?? -1);
  }

  private add(cands: Map<number, Candidate>, doc: number, method: MatchMethod, score: number, details: MatchDetails): void {
    if (!this.inScope(doc)) return;
    let c = cands.get(doc);
    if (!c) {
      c = { methods: new Map(), details: {} };
      cands.set(doc, c);
    }
    if ((c.methods.get(method) ?? -1) >= score) return;
    c.methods.set(method, score);
    Object.assign(c.details, details);
  }

  /** Matches one sample item; best match first. Warnings (e.g. low image quality) go to `warnings`. */
  match(fp: ItemFingerprint, warnings: string[] = []): Match[] {
    // OCR text: misread words match nothing, so a lower share (both thresholds) is expected.
    const ocrShare = Math.min(this.options.minContainment, this.options.ocrMinContainment);
    const o = fp.ocr?.length ? { ...this.options, minContainment: ocrShare, minContainmentThin: ocrShare } : this.options;
    const cands = new Map<number, Candidate>();

    for (const doc of this.queries.docsBySha256(fp.sha256)) this.add(cands, doc, 'exact', 1, { exact: { sha256: fp.sha256 } });

    // Text and page hashes: a hash held by several DIFFERENT documents is boilerplate (a
    // lab report's "Authorised by … End of report" last page is the same in every report), so
    // it proves nothing about which document a sample came from and is not used.
    const textHits = (hash: string, samplePage?: number): void => {
      const whole = this.queries.docsByTextHash(hash).map((doc) => ({ doc, page: undefined as number | undefined }));
      const pages = this.queries.pagesByHash(hash).map((p) => ({ doc: p.docId, page: p.page as number | undefined }));
      const hits = [...whole, ...pages];
      if (new Set(hits.map((h) => this.docs.contentId[h.doc])).size > 1) {
        warnings.push(`${samplePage ? `page ${samplePage}` : 'the text'} is identical in several different known documents (template text): not used as evidence`);
        return;
      }
      for (const h of hits) {
        if (h.page === undefined && samplePage === undefined) this.add(cands, h.doc, 'text', 0.99, { text: { scope: 'whole' } });
        else
          this.add(cands, h.doc, 'text', 0.97, {
            text: { scope: 'page', ...(samplePage !== undefined ? { samplePage } : {}), ...(h.page !== undefined ? { documentPage: h.page } : {}) },
          });
      }
    };
    if (fp.textHash) textHits(fp.textHash);
    fp.pageHashes?.forEach((h, i) => {
      if (h) textHits(h, i + 1);
    });

    const nearDocs: number[] = [];
    const sim = fp.simhash ? simhashFromHex(fp.simhash) : undefined;
    if (sim) {
      for (const hit of this.sim.near(sim.hi, sim.lo, SIMHASH_MAX_DISTANCE)) {
        const doc = this.docs.simDoc[hit.entry] as number;
        nearDocs.push(doc);
        this.add(cands, doc, 'near', 0.96 - 0.02 * hit.distance, { near: { distance: hit.distance, bits: 64, maxDistance: SIMHASH_MAX_DISTANCE } });
      }
    }

    const evidence = fp.winnowHashes.length ? partialEvidence(fp.winnowHashes, this.queries, this.docs, o) : undefined;
    if (evidence) {
      for (const [doc, d] of evidence.byDoc) {
        const known = cands.get(doc);
        if (known) known.details.partial = d;
        else if (isPartialMatch(d, o, this.resembles(sim, doc)) || (fp.ocr?.length && d.uniquePassages >= o.ocrMinUnique)) this.add(cands, doc, 'partial', 0.3 + 0.6 * Math.max(d.containment, d.coverage), { partial: d });
      }
    }

    this.dropUnsupportedText(fp, cands, evidence?.byDoc, warnings);
    this.matchImages(fp, cands, warnings);
    this.dropTemplateSiblings(cands, nearDocs, evidence?.byDoc);
    const matches = this.toMatches(cands);
    const ocr = fp.ocr;
    return ocr?.length ? matches.map((m) => withOcrNote(m, ocr)) : matches;
  }

  /** The sample's simhash within thinSimhashMaxDistance of the document's. */
  private resembles(sim: Simhash | undefined, doc: number): boolean {
    const e = this.docs.simEntry[doc] ?? -1;
    if (!sim || e < 0) return false;
    return simhashDistance(sim, { hi: this.docs.simHi[e] as number, lo: this.docs.simLo[e] as number }) <= this.options.thinSimhashMaxDistance;
  }

  private matchImages(fp: ItemFingerprint, cands: Map<number, Candidate>, warnings: string[]): void {
    const o = this.options;
    for (const img of fp.pdq) {
      if (img.quality < o.pdqMinQuality) {
        warnings.push(`${img.label}: image quality ${img.quality} is under ${o.pdqMinQuality}, too flat or small for a reliable perceptual match`);
        continue;
      }
      const direct = img.dihedral ?? [img.hash];
      let hits: RatedHit[] = this.pdq
        .near(direct, o.pdqMaxDistance)
        .filter((h) => h.distance <= (img.pageRender || this.imgPage[h.entry] ? o.pdqPageMaxDistance : o.pdqMaxDistance));
      hits = this.withoutRivals(hits, direct, o.pdqRatio);
      // Nothing near the picture itself: it may be cut unevenly from a known one (pdq-crop-grid.ts).
      let viaGrid = false;
      if (hits.length === 0 && img.cropGrid?.length) {
        const grid = this.pdq.near(img.cropGrid, o.pdqCropMaxDistance).filter((h) => !this.imgPage[h.entry]);
        hits = this.withoutRivals(grid, img.cropGrid, o.pdqCropRatio, o.pdqCropSureDistance);
        viaGrid = hits.length > 0;
      }
      const contents = new Set(hits.map((h) => this.docs.contentId[this.imgDoc[h.entry] as number]));
      if (contents.size > o.imageDfMax) {
        warnings.push(`${img.label}: looks like ${contents.size} different known documents (a logo or template image): not used as evidence`);
        continue;
      }
      for (const h of hits) {
        const maxDistance = viaGrid ? o.pdqCropMaxDistance : img.pageRender || this.imgPage[h.entry] ? o.pdqPageMaxDistance : o.pdqMaxDistance;
        this.add(cands, this.imgDoc[h.entry] as number, 'image', Math.max(0, (viaGrid ? 0.85 : 0.95) - 0.015 * h.distance), {
          image: {
            distance: h.distance,
            bits: 256,
            maxDistance,
            sampleImage: img.label,
            documentImage: this.imgLabel[h.entry] as string,
            quality: img.quality,
            transform: viaGrid ? 'cropped unevenly (a part of the picture matched)' : (PDQ_TRANSFORMS[h.variant] ?? 'as is'),
            ...(h.rival !== undefined ? { nextOtherDistance: h.rival } : {}),
          },
        });
      }
    }
  }

  /**
   * The ratio test (as in Lowe's SIFT matching): a hit in the doubtful band (over
   * `pdqSureDistance` bits) stands only when every picture of any OTHER document is at least
   * 1/ratio times as far. Pictures of one template (passports) sit 28–60 bits from each
   * other, so an unrelated passport can come within 30 bits of a stored one — but then
   * other stored passports are nearly as close; a cropped copy of a photo is 30 bits from its
   * original and 80+ from everything else. Hits within the sure band are kept as they are.
   */
  private withoutRivals(hits: PdqHit[], queries: readonly string[], ratio: number, sure = this.options.pdqSureDistance): RatedHit[] {
    const out: RatedHit[] = [];
    for (const h of hits) {
      if (h.distance <= sure || this.imgPage[h.entry]) {
        out.push(h);
        continue;
      }
      const content = this.docs.contentId[this.imgDoc[h.entry] as number];
      const limit = Math.ceil(h.distance / ratio);
      const rival = this.pdq.nearestOther(queries, (e) => this.docs.contentId[this.imgDoc[e] as number] === content, limit);
      if (rival >= limit) out.push({ ...h, rival });
    }
    return out;
  }

  /**
   * Equal text is only evidence when the text is specific to the document: a template page
   * ("Authorised by … End of report") can be stored once in the corpus and still be shared by
   * every unrelated report of the same laboratory. So a text match stands only when the
   * sample's passages include one found in this document and nowhere else (two for a page).
   * Samples too short to have passage fingerprints keep their text matches.
   */
  private dropUnsupportedText(fp: ItemFingerprint, cands: Map<number, Candidate>, evidence: Map<number, PartialDetails> | undefined, warnings: string[]): void {
    if (fp.winnowHashes.length === 0) return;
    let dropped = 0;
    for (const [doc, c] of cands) {
      if (!c.methods.has('text') || c.methods.has('exact')) continue;
      // A page match needs two such passages: one 8-word run of lab values can coincide by
      // chance between an unrelated report and a stored one.
      const needed = c.details.text?.scope === 'page' ? 2 : 1;
      if ((evidence?.get(doc)?.uniquePassages ?? 0) >= needed) continue;
      c.methods.delete('text');
      delete c.details.text;
      dropped++;
      if (c.methods.size === 0) cands.delete(doc);
    }
    if (dropped) warnings.push(`text equal to ${dropped} known document(s) was not used: it holds no passage specific to them (template text)`);
  }

  /**
   * A near-duplicate hit on another patient's document from the same template (a long
   * letter where only the patient block differs can have the very same simhash) is dropped
   * when the sample's passages show content specific to another document and none specific
   * to this one. Exact copies (same normalised text) are never dropped.
   */
  private dropTemplateSiblings(cands: Map<number, Candidate>, nearDocs: number[], evidence: Map<number, PartialDetails> | undefined): void {
    const strong = [...cands]
      .filter(([doc, c]) => c.methods.has('exact') || c.methods.has('text') || ((evidence?.get(doc)?.uniqueFingerprints ?? 0) > 0 && (evidence?.get(doc)?.matchedFingerprints ?? 0) >= this.options.minMatched))
      .map(([doc]) => this.docs.contentId[doc]);
    if (strong.length === 0) return;
    for (const doc of nearDocs) {
      const c = cands.get(doc);
      if (!c || c.methods.has('exact') || c.methods.has('text') || (evidence?.get(doc)?.uniqueFingerprints ?? 0) > 0) continue;
      if (strong.includes(this.docs.contentId[doc])) continue;
      c.methods.delete('near');
      delete c.details.near;
      if (c.methods.size === 0) cands.delete(doc);
    }
  }

  private toMatches(cands: Map<number, Candidate>): Match[] {
    const rows = this.queries.docs([...cands.keys()]);
    const out: Match[] = [];
    for (const [doc, c] of cands) {
      const row = rows.get(doc);
      if (!row) continue;
      const methods = [...c.methods].sort((a, b) => METHOD_RANK[a[0]] - METHOD_RANK[b[0]]);
      const [method] = methods[0] as [MatchMethod, number];
      const score = Math.max(...c.methods.values());
      const also = methods.slice(1).map(([m]) => m);
      out.push({
        set: this.sets.get(row.setId) ?? String(row.setId),
        document: row.path,
        documentSha256: row.sha256,
        method,
        score: Math.round(score * 1000) / 1000,
        explanation: explainMethod(method, c.details) + (also.length ? `; also ${also.join(', ')}` : ''),
        details: c.details,
      });
    }
    return out.sort(
      (a, b) =>
        b.score - a.score ||
        (b.details.partial?.matchedFingerprints ?? 0) - (a.details.partial?.matchedFingerprints ?? 0) ||
        a.document.localeCompare(b.document),
    );
  }
}
