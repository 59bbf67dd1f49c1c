import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestCorpus, scanSamples } from '../../src/ingest/index.js';
import { Matcher } from '../../src/match/index.js';
import { renderPhoto, renderScan } from '../../src/synth/index.js';
import { tempStore } from '../helpers/store.js';
import { useTempDir } from '../helpers/tmp.js';
import { DOCS, addCorpus, imageOnlyPdf, screenshotOf, writeTo } from './helpers.js';

const tmp = useTempDir();

describe('OCR in the worker pool (match / crawl sample matching)', () => {
  it('matches screenshots and image-only PDFs on worker threads, skips text-free photos, reports corrupt images by name', async () => {
    const dir = tmp();
    const store = tempStore(dir);
    addCorpus(store);
    const leak = join(dir, 'leak');
    mkdirSync(leak);
    writeTo(leak, 'proof-1.jpg', await screenshotOf(DOCS[0]!));
    writeTo(leak, 'scans.pdf', await imageOnlyPdf(DOCS[1]!));
    writeTo(leak, 'holiday.jpg', await renderPhoto(11, { format: 'jpeg' }));
    const page = await renderScan(DOCS[3]!);
    writeTo(leak, 'broken.png', page.subarray(0, page.length >> 1));

    const matcher = new Matcher(store);
    const r = await scanSamples({ matcher, keys: store.keys, paths: [leak], workers: 2 });
    const by = new Map(r.samples.map((s) => [s.path, s]));
    expect(by.get('proof-1.jpg')!.matches.map((m) => m.document)).toEqual([`docs/${DOCS[0]!.id}.txt`]);
    expect(by.get('proof-1.jpg')!.matches[0]!.explanation).toMatch(/via OCR of the image/);
    expect(by.get('scans.pdf')!.matches[0]!.document).toBe(`docs/${DOCS[1]!.id}.txt`);
    expect(by.get('holiday.jpg')!.matches).toEqual([]);
    expect(r.failures.map((f) => [f.path, f.code])).toEqual([['broken.png', 'E_CORRUPT_FILE']]);

    // The same run with OCR off: the screenshots find nothing (the corpus holds text only).
    const off = await scanSamples({ matcher, keys: store.keys, paths: [leak], workers: 1, ocr: false });
    expect(off.samples.flatMap((s) => s.matches)).toEqual([]);
    store.close();
  }, 120_000);

  it('reads corpus pictures at ingest with ocr: true, so a re-posted scan matches by text', async () => {
    const dir = tmp();
    const corpus = join(dir, 'corpus');
    mkdirSync(corpus);
    writeTo(corpus, 'letter-scan.png', await renderScan(DOCS[2]!));
    const store = tempStore(dir);
    const summary = await ingestCorpus({ store, setName: 'clinic', paths: [corpus], workers: 1, ocr: true });
    expect(summary).toMatchObject({ filesFingerprinted: 1, filesFailed: 0 });
    const leak = join(dir, 'leak');
    mkdirSync(leak);
    // A phone-style re-post: lower resolution, turned, recompressed; its PDQ hash drifts, its words do not.
    writeTo(leak, 'IMG_2231.jpg', await screenshotOf(DOCS[2]!));
    const r = await scanSamples({ matcher: new Matcher(store), keys: store.keys, paths: [leak], workers: 1 });
    const m = r.samples[0]!.matches.find((x) => x.document === 'letter-scan.png');
    expect(m?.details.partial ?? m?.details.near ?? m?.details.text).toBeDefined();
    store.close();
  }, 120_000);
});
