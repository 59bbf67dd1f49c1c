import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yazl from 'yazl';
import {
  documentFor,
  excerpt,
  generateUnrelatedDocuments,
  planCorpus,
  renderDocument,
  resizeImage,
  Rng,
  type CorpusOptions,
  type PlannedItem,
} from '../synth/index.js';

/** What the demo "leak" publishes, and which corpus file each sample should trace back to. */
export interface DemoSample {
  file: string;
  description: string;
  /** Corpus paths the sample is made from (empty for unrelated samples). */
  expected: string[];
}

function zip(files: Record<string, Buffer>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const z = new yazl.ZipFile();
    // Fixed dates: the demo's output is the same on every run.
    for (const [name, data] of Object.entries(files)) z.addBuffer(data, name, { mtime: new Date('2024-05-01T00:00:00Z') });
    z.end();
    const chunks: Buffer[] = [];
    z.outputStream.on('data', (c: Buffer) => chunks.push(c));
    z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    z.outputStream.on('error', reject);
  });
}

/**
 * Builds the files a ransomware group might post as "proof", from a generated corpus: copies
 * inside a zip, an excerpt pasted as text, a document printed again by another PDF producer,
 * a resized photo — and unrelated files that must not match.
 */
export async function makeLeakSamples(corpusDir: string, corpus: Pick<CorpusOptions, 'seed' | 'documents' | 'formats'>, outDir: string): Promise<DemoSample[]> {
  mkdirSync(outDir, { recursive: true });
  const plan = planCorpus(corpus);
  const find = (pred: (p: PlannedItem) => boolean): PlannedItem => {
    const item = plan.find(pred);
    if (!item) throw new Error('demo corpus lacks a document kind it needs; use more documents');
    return item;
  };
  const note = find((p) => p.kind === 'clinical-note' && p.format === 'txt');
  const lab = find((p) => p.kind === 'lab-report');
  const pdf = find((p) => p.format === 'pdf' && p !== lab);
  const docx = find((p) => p.format === 'docx');
  const photo = find((p) => p.kind === 'photo');
  const unrelated = generateUnrelatedDocuments(corpus.seed, 2);
  const read = (p: PlannedItem): Buffer => readFileSync(join(corpusDir, p.path));
  const samples: DemoSample[] = [];

  writeFileSync(
    join(outDir, 'proof-pack.zip'),
    await zip({
      [`proof/${pdf.path.split('/').pop()}`]: read(pdf),
      [`proof/${docx.path.split('/').pop()}`]: read(docx),
      [`proof/${photo.path.split('/').pop()}`]: read(photo),
      'proof/readme.txt': await renderDocument(unrelated[0]!, 'txt'),
    }),
  );
  samples.push({ file: 'proof-pack.zip', description: 'a "proof pack": two documents and a photo copied as they are, plus an unrelated note', expected: [pdf.path, docx.path, photo.path] });

  const noteText = read(note).toString('utf8');
  writeFileSync(join(outDir, 'forum-post.txt'), `Sample of the data we hold:\n\n${excerpt(noteText, 120, new Rng(7))}\n`);
  samples.push({ file: 'forum-post.txt', description: 'a 120-word excerpt of a clinical note pasted into a post', expected: [note.path] });

  const labDoc = documentFor(corpus.seed, lab)!;
  writeFileSync(join(outDir, 'lab-report-reprinted.pdf'), await renderDocument(labDoc, 'pdfkit'));
  samples.push({ file: 'lab-report-reprinted.pdf', description: 'a lab report printed again by another PDF producer (other font, other line breaks)', expected: [lab.path] });

  writeFileSync(join(outDir, 'photo-small.jpg'), await resizeImage(read(photo), 0.5));
  samples.push({ file: 'photo-small.jpg', description: 'a patient photo, resized to half and re-encoded', expected: [photo.path] });

  writeFileSync(join(outDir, 'unrelated-letter.pdf'), await renderDocument(unrelated[1]!, 'pdf'));
  samples.push({ file: 'unrelated-letter.pdf', description: 'a letter about a patient who is not in the stolen corpus (must not match)', expected: [] });
  return samples;
}
