import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestCorpus } from '../../src/ingest/index.js';
import { generateCorpus } from '../../src/synth/index.js';
import { tempStore } from '../helpers/store.js';
import { useTempDir } from '../helpers/tmp.js';

const tmp = useTempDir();

describe('ingestCorpus', () => {
  it('resumes after an interruption: nothing stored is lost, nothing is done twice', async () => {
    const dir = tmp();
    const corpus = join(dir, 'corpus');
    await generateCorpus(corpus, { seed: 5, documents: 24, formats: ['txt', 'pdf', 'docx'] });

    // Reference: one uninterrupted run.
    const ref = tempStore(join(dir, 'ref'));
    const full = await ingestCorpus({ store: ref, setName: 's', paths: [corpus], workers: 2 });
    const refDocs = ref.summary(ref.setId('s')!).documents;
    ref.close();
    expect(full.filesFingerprinted).toBe(24);

    // Interrupted run: abort as soon as a few files are stored.
    const store = tempStore(join(dir, 'run'));
    const controller = new AbortController();
    const first = await ingestCorpus({
      store,
      setName: 's',
      paths: [corpus],
      workers: 2,
      signal: controller.signal,
      progress: {
        update: (st) => {
          if (st.filesDone >= 3) controller.abort();
        },
        done: () => {},
      },
    });
    expect(first.interrupted).toBe(true);
    expect(first.filesFingerprinted).toBeGreaterThanOrEqual(3);
    expect(first.filesFingerprinted).toBeLessThan(24);

    const second = await ingestCorpus({ store, setName: 's', paths: [corpus], workers: 2 });
    expect(second.interrupted).toBe(false);
    expect(second.filesUnchanged).toBe(first.filesFingerprinted);
    expect(second.filesFingerprinted).toBe(24 - first.filesFingerprinted);
    const s = store.summary(store.setId('s')!);
    expect(s.documents).toBe(refDocs);
    expect(s.sources).toBe(24);
    store.close();
  });

  it('cuts off a file that takes too long, reports it, and goes on', async () => {
    const dir = tmp();
    const corpus = join(dir, 'corpus');
    await generateCorpus(corpus, { seed: 6, documents: 6, formats: ['txt'] });
    // A PDF whose content stream makes pdfjs work for a long time: the per-file budget ends it.
    const ops = 'q 1 0 0 1 0 0 cm 0 0 m 1 1 l S Q\n'.repeat(400_000);
    const pdf = [
      '%PDF-1.4',
      '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
      '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
      '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 4 0 R >> endobj',
      `4 0 obj << /Length ${ops.length} >> stream\n${ops}endstream endobj`,
      'trailer << /Root 1 0 R >>',
      '%%EOF',
    ].join('\n');
    writeFileSync(join(corpus, 'slow.pdf'), pdf);
    const store = tempStore(join(dir, 'run'));
    const failures: string[] = [];
    const r = await ingestCorpus({
      store,
      setName: 's',
      paths: [corpus],
      workers: 2,
      limits: { timeoutMs: 300 },
      onFailure: (f) => failures.push(`${f.path} ${f.code}`),
    });
    expect(r.filesSeen).toBe(7);
    expect(store.summary(store.setId('s')!).sources).toBe(7);
    // The slow PDF is cut off by the per-file budget and reported; the other six are stored,
    // and the PDF's bytes are still kept for the exact tier.
    expect(failures).toEqual(['slow.pdf E_TIMEOUT']);
    expect(r.documents).toBe(7);
    store.close();
  });
});
