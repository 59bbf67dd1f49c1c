import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { LeakwatchError } from '../errors.js';
import { deriveSeed, documentFor, planCorpus, renderDocument, renderPassport, renderPhoto, type PlannedItem } from '../synth/index.js';
import type { StolenCorpusSpec } from './types.js';

/**
 * The "stolen" corpus posts publish from: a list of files (path relative to the corpus, as in
 * generateCorpus's manifest) and a way to read each. Either rendered on demand from the
 * corpus plan — the same bytes generateCorpus writes, so a test can fingerprint a corpus it
 * generated and the simulator publishes matching files — or read from a directory.
 */

export interface CorpusFile {
  path: string;
  /** Lower-case extension without the dot. */
  ext: string;
  /** A text document (pdf/docx/txt, or a scan of one) rather than a photo/passport. */
  document: boolean;
  image: boolean;
}

const IMAGE_EXT = new Set(['png', 'jpg', 'jpeg']);

function describe(path: string, document: boolean): CorpusFile {
  const ext = (/\.([a-z0-9]+)$/i.exec(path)?.[1] ?? '').toLowerCase();
  return { path, ext, document, image: IMAGE_EXT.has(ext) };
}

export class StolenCorpus {
  private constructor(
    readonly files: readonly CorpusFile[],
    private readonly reader: (path: string) => Promise<Buffer>,
  ) {}

  /** Rendered from the plan (or read from `dir` when given: it must hold that corpus). */
  static fromSpec(spec: StolenCorpusSpec, dir?: string): StolenCorpus {
    const items = planCorpus(spec);
    const byPath = new Map(items.map((it) => [it.path, it]));
    const files = items.map((it) => describe(it.path, it.kind !== 'photo' && it.kind !== 'passport'));
    const reader = dir
      ? (path: string) => readCorpusFile(dir, path)
      : (path: string) => {
          const item = byPath.get(path);
          if (!item) throw new LeakwatchError('E_USAGE', `not a file of the stolen corpus: ${path}`);
          return renderPlanned(spec.seed, item);
        };
    return new StolenCorpus(files, reader);
  }

  /** Any directory of files: listed recursively, sorted, classified by extension. */
  static async fromDir(dir: string): Promise<StolenCorpus> {
    const paths = (await listFiles(dir)).sort();
    if (paths.length === 0) throw new LeakwatchError('E_USAGE', `the stolen corpus directory is empty: ${dir}`);
    // Without a plan, images whose name says "photo"/"passport" are not documents.
    const files = paths.map((p) => describe(p, !/(^|\/)(photo|passport)[^/]*$/i.test(p)));
    return new StolenCorpus(files, (path) => readCorpusFile(dir, path));
  }

  has(path: string): boolean {
    return this.files.some((f) => f.path === path);
  }

  read(path: string): Promise<Buffer> {
    if (!this.has(path)) return Promise.reject(new LeakwatchError('E_USAGE', `not a file of the stolen corpus: ${path}`));
    return this.reader(path);
  }
}

async function readCorpusFile(dir: string, path: string): Promise<Buffer> {
  return readFile(join(dir, ...path.split('/')));
}

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) out.push(relative(root, full).split(sep).join('/'));
    }
  };
  await walk(root);
  return out;
}

/**
 * One planned corpus file, rendered exactly as generateCorpus renders it (corpus.ts keeps
 * that function private; test/sim checks the bytes agree with a written corpus).
 */
async function renderPlanned(seed: number, item: PlannedItem): Promise<Buffer> {
  const imageFormat = item.format === 'png' ? 'png' : 'jpeg';
  if (item.kind === 'photo') return renderPhoto(deriveSeed(seed, item.patient.space, 'photo', item.index), { format: imageFormat });
  if (item.kind === 'passport') return renderPassport(item.patient, seed, { format: imageFormat }, item.index);
  const doc = documentFor(seed, item);
  if (!doc) throw new Error('unreachable: text item without a document');
  return renderDocument(doc, item.format);
}
