import { rngFor } from '../synth/index.js';
import type { StolenCorpus } from './stolen-corpus.js';
import type { SimFileInput, SimPostInput, SimSiteSpec, SiteStyle } from './types.js';
import { generateVictims, type VictimLocale } from './victims.js';

/**
 * The standard simulated sites and which of their posts publish what. The answer key lives in
 * each file's `contents` (see samples.ts), so tests never hard-code corpus paths: they read
 * `sim.posts(siteId)`.
 */

export const DEFAULT_SITE_IDS = ['sim-blog', 'sim-paged', 'sim-api', 'sim-jsonly', 'sim-queue', 'sim-mirrors', 'sim-hostile', 'sim-cp1251', 'sim-latin1'] as const;

/** The site definition (sites/sim/<id>.yaml) each style is read with. */
export const STYLE_TEMPLATE_ID: Readonly<Record<SiteStyle, string>> = {
  blog: 'sim-blog',
  paged: 'sim-paged',
  api: 'sim-api',
  'js-only': 'sim-jsonly',
  queue: 'sim-queue',
  hostile: 'sim-hostile',
  cp1251: 'sim-cp1251',
  latin1: 'sim-latin1',
};

export const DEFAULT_POST_COUNT: Readonly<Record<SiteStyle, number>> = {
  blog: 8, paged: 13, api: 7, 'js-only': 4, queue: 3, hostile: 4, cp1251: 4, latin1: 4,
};

export const DEFAULT_POSTS_PER_PAGE = 5;

/** The standard set: every style once, plus a blog with a dead, a slow and a resetting mirror. */
export function defaultSimSites(): SimSiteSpec[] {
  return [
    { id: 'sim-blog', style: 'blog', name: 'Nightjar Leaks' },
    { id: 'sim-paged', style: 'paged', name: 'Corvid Team', postsPerPage: 5 },
    { id: 'sim-api', style: 'api', name: 'Basilisk Data', postsPerPage: 4 },
    { id: 'sim-jsonly', style: 'js-only', name: 'Halcyon' },
    { id: 'sim-queue', style: 'queue', name: 'Ironclad Locker' },
    // Mirror 0 refuses connections, 1 is slow, 2 resets: a crawler must fail over to 1.
    { id: 'sim-mirrors', style: 'blog', name: 'Moth Mirrors', posts: 4, mirrors: [{ down: 'refuse' }, { slow: true }, { down: 'reset' }] },
    { id: 'sim-hostile', style: 'hostile', name: 'Chaos Archive' },
    { id: 'sim-cp1251', style: 'cp1251', name: 'Медведь' },
    { id: 'sim-latin1', style: 'latin1', name: 'Fuchs Gruppe' },
  ];
}

export function localeOf(style: SiteStyle): VictimLocale {
  return style === 'cp1251' ? 'ru' : style === 'latin1' ? 'de' : 'en';
}

/**
 * Draws stolen files without replacement across all sites (so each post publishes different
 * documents), in a seeded order; wraps around when the corpus is small.
 */
export class StolenPicker {
  private readonly docs: string[];
  private readonly images: string[];
  private docsLeft: string[];
  private imageAt = 0;

  constructor(seed: number, corpus: StolenCorpus) {
    const rng = rngFor(seed, 'sim-stolen-picks');
    // Plain "documents" are the formats matched by text (a scan PNG of a letter is an image).
    this.docs = rng.shuffle(corpus.files.filter((f) => f.document && !f.image).map((f) => f.path));
    this.docsLeft = [...this.docs];
    // Prefer scans of documents, then passports/photos: all are matched by perceptual hash.
    const images = corpus.files.filter((f) => f.image);
    this.images = [...rng.shuffle(images.filter((f) => f.document).map((f) => f.path)), ...rng.shuffle(images.filter((f) => !f.document).map((f) => f.path))];
  }

  /** The next unpublished document, preferring extension `ext` (so posts mix PDF, DOCX, TXT). */
  doc(ext?: string): string {
    if (this.docs.length === 0) {
      const img = this.image();
      if (img === undefined) throw new Error('the stolen corpus has no files');
      return img;
    }
    if (this.docsLeft.length === 0) this.docsLeft = [...this.docs]; // small corpus: wrap around
    const at = ext ? this.docsLeft.findIndex((p) => p.toLowerCase().endsWith(`.${ext}`)) : -1;
    return this.docsLeft.splice(Math.max(at, 0), 1)[0] as string;
  }

  image(): string | undefined {
    if (this.images.length === 0) return undefined;
    return this.images[this.imageAt++ % this.images.length];
  }
}

function basename(path: string): string {
  return path.split('/').pop() ?? path;
}

/** Formats cycled through when a post publishes several stolen documents. */
const EXT_ORDER = ['pdf', 'docx', 'txt'];

function stolenFiles(picker: StolenPicker, n: number): SimFileInput[] {
  const used = new Set<string>();
  return Array.from({ length: n }, (_, i) => {
    const path = picker.doc(EXT_ORDER[i % EXT_ORDER.length]);
    let name = basename(path);
    for (let k = 2; used.has(name); k++) name = basename(path).replace(/(\.[^.]+)?$/, `-${k}$1`);
    used.add(name);
    return { name, source: { kind: 'stolen', path } };
  });
}

function screenshot(picker: StolenPicker, name: string): SimFileInput[] {
  const path = picker.image();
  return path ? [{ name, source: { kind: 'stolen-screenshot', path } }] : [];
}

export interface SampleContext {
  seed: number;
  picker: StolenPicker;
  hugeFileBytes: number;
  zipBomb: { members: number; memberBytes: number };
  /** Counter for unrelated documents/photos, so every negative sample differs. */
  unrelated: { next: number };
}

/** Attaches the style's sample files to the generated posts (mutates and returns them). */
export function attachSamples(style: SiteStyle, posts: SimPostInput[], ctx: SampleContext): SimPostInput[] {
  const u = (): number => ctx.unrelated.next++;
  const set = (i: number, patch: Partial<SimPostInput>): void => {
    const p = posts[i];
    if (p) Object.assign(p, patch);
  };
  switch (style) {
    case 'blog': {
      set(0, { files: stolenFiles(ctx.picker, 2), images: screenshot(ctx.picker, 'proof-1.png') });
      const pack = { kind: 'proof-pack' as const, stolen: stolenFiles(ctx.picker, 3).map((f) => (f.source as { path: string }).path), unrelated: [{ index: u(), format: 'pdf' as const }, { index: u(), format: 'docx' as const }], filler: 4 };
      set(1, { files: [{ name: 'proof-pack.zip', source: pack }], images: [{ name: 'proof-1.jpg', source: { kind: 'unrelated-photo', index: u() } }] });
      set(2, {
        files: [{ name: 'contracts-2023.pdf', source: { kind: 'unrelated', index: u(), format: 'pdf' } }, { name: 'staff-list.docx', source: { kind: 'unrelated', index: u(), format: 'docx' } }],
        images: [{ name: 'proof-1.jpg', source: { kind: 'unrelated-photo', index: u() } }],
      });
      break;
    }
    case 'paged':
      // The stolen sample sits on the last page: a crawler that ignores pagination misses it.
      set(posts.length - 1, { files: stolenFiles(ctx.picker, 1) });
      set(6, { files: [{ name: 'notes.txt', source: { kind: 'unrelated', index: u(), format: 'txt' } }] });
      break;
    case 'api':
      set(1, { files: stolenFiles(ctx.picker, 1) });
      set(4, { files: [{ name: 'report.pdf', source: { kind: 'unrelated', index: u(), format: 'pdf' } }] });
      break;
    case 'js-only':
    case 'queue':
    case 'latin1':
      set(0, { files: stolenFiles(ctx.picker, 1) });
      break;
    case 'cp1251':
      set(0, { files: [{ name: 'dogovor.docx', source: { kind: 'unrelated', index: u(), format: 'docx' } }] });
      break;
    case 'hostile':
      set(0, {
        files: [{ name: 'full-dump.7z.001', source: { kind: 'huge', sizeBytes: ctx.hugeFileBytes } }],
        fileTree: 'full-dump/\n  finance/\n    ledger-2023.xlsx\n  patients/\n    export-0001.csv\n    export-0002.csv',
      });
      set(1, {
        files: [
          { name: 'proof.zip', source: { kind: 'zip-bomb', ...ctx.zipBomb } },
          { name: 'proof-nested.zip', source: { kind: 'zip-bomb', ...ctx.zipBomb, nested: 8 } },
        ],
      });
      // Markup in a title must come out as text, never as markup, in reports built from it.
      set(2, { title: 'Evil Corp <img src=x onerror=alert(1)> Ltd', files: stolenFiles(ctx.picker, 1) });
      break;
  }
  return posts;
}

/** Generated victims of a site, with the style's samples attached when asked. */
export function defaultPostsFor(spec: SimSiteSpec, now: Date, ctx: SampleContext): SimPostInput[] {
  const count = typeof spec.posts === 'number' ? spec.posts : DEFAULT_POST_COUNT[spec.style];
  const posts = generateVictims(ctx.seed, spec.id, count, localeOf(spec.style), now);
  return spec.samplePosts === false ? posts : attachSamples(spec.style, posts, ctx);
}
