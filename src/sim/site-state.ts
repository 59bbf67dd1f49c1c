import { createHash } from 'node:crypto';
import { parseDataSize } from '../sites/index.js';
import type { SampleStore } from './samples.js';
import { contentsOf, contentTypeFor } from './samples.js';
import type { SiteView } from './html.js';
import type { StyleModule } from './styles/style.js';
import type { FaultKind, FaultSpec, SimFile, SimFileInput, SimPost, SimPostInput, SiteStyle } from './types.js';
import { slugify } from './victims.js';

/**
 * The mutable state of one simulated site: its posts (newest first) and pending faults. Tests
 * change it at runtime (add/remove a post, inject a fault) and the next request sees it.
 */

function iso(d: Date | string): string {
  const t = typeof d === 'string' ? Date.parse(d) : d.getTime();
  if (!Number.isFinite(t)) throw new RangeError(`not a date: ${String(d)}`);
  return new Date(t).toISOString();
}

function simFile(slug: string, input: SimFileInput, role: 'image' | 'file'): SimFile {
  if (!input.name || /[/\\]/.test(input.name)) throw new RangeError(`file name must be a plain name: ${input.name}`);
  const contents = contentsOf(input.name, input.source);
  const contentType = input.source.kind === 'bytes' && input.source.contentType ? input.source.contentType : contentTypeFor(input.name);
  return {
    name: input.name,
    role,
    path: `/${role === 'image' ? 'img' : 'files'}/${encodeURIComponent(slug)}/${encodeURIComponent(input.name)}`,
    contentType,
    source: input.source,
    contents,
    expectMatch: contents.some((c) => c.origin === 'stolen'),
  };
}

interface PendingFault extends FaultSpec {
  left: number;
}

export class SimSite {
  private list: SimPost[] = [];
  private faults: PendingFault[] = [];
  /** Insertion order breaks ties between equal dates, so ordering never depends on sort details. */
  private order = new Map<string, number>();
  private added = 0;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly style: SiteStyle,
    readonly module: StyleModule,
    readonly postsPerPage: number,
  ) {}

  get posts(): readonly SimPost[] {
    return this.list;
  }

  addPost(input: SimPostInput, now: Date): SimPost {
    if (!input.title) throw new RangeError('a post needs a title');
    const base = input.slug ?? slugify(input.title);
    if (!/^[a-z0-9][a-z0-9-]*$/.test(base)) throw new RangeError(`slug must be lowercase letters, digits and -: ${base}`);
    let slug = base;
    for (let n = 2; this.list.some((p) => p.slug === slug); n++) slug = `${base}-${n}`;
    const id = createHash('sha256').update(`${this.id}/${slug}`).digest('hex').slice(0, 12);
    const dataSizeText = input.dataSizeText ?? '10 GB';
    const post: SimPost = {
      slug,
      id,
      title: input.title,
      website: input.website ?? `${slug}.example`,
      publishedAt: iso(input.publishedAt ?? now),
      dataSizeText,
      dataSizeBytes: parseDataSize(dataSizeText) ?? 0,
      description: input.description ?? `${input.title} ignored our offer. All data will be published.`,
      path: this.module.postPath({ slug, id }),
      images: (input.images ?? []).map((f) => simFile(slug, f, 'image')),
      files: (input.files ?? []).map((f) => simFile(slug, f, 'file')),
    };
    if (input.deadlineAt !== undefined) post.deadlineAt = iso(input.deadlineAt);
    if (input.fileTree !== undefined) post.fileTree = input.fileTree;
    this.order.set(slug, this.added++);
    this.list = [...this.list, post].sort((a, b) => (a.publishedAt === b.publishedAt ? (this.order.get(a.slug) ?? 0) - (this.order.get(b.slug) ?? 0) : a.publishedAt < b.publishedAt ? 1 : -1));
    return post;
  }

  /** Removes the post with this slug, id or exact title; false when there is none. */
  removePost(key: string): boolean {
    const before = this.list.length;
    this.list = this.list.filter((p) => p.slug !== key && p.id !== key && p.title !== key);
    return this.list.length < before;
  }

  findPost(pathAndQuery: string): SimPost | undefined {
    return this.list.find((p) => p.path === pathAndQuery);
  }

  /** The published file at a URL path (`/files/<slug>/<name>` or `/img/<slug>/<name>`). */
  findFile(path: string): SimFile | undefined {
    for (const p of this.list) {
      const f = p.files.find((x) => x.path === path) ?? p.images.find((x) => x.path === path);
      if (f) return f;
    }
    return undefined;
  }

  view(seed: number, now: Date, samples: SampleStore, posts: readonly SimPost[] = this.list): SiteView {
    return { id: this.id, name: this.name, style: this.style, seed, posts, postsPerPage: this.postsPerPage, now, samples };
  }

  injectFault(fault: FaultSpec): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** The fault this request gets, if any (consumes one use). */
  takeFault(pathAndQuery: string, mirror: number, isListing: boolean): FaultKind | undefined {
    const hit = this.faults.find((f) => {
      if (f.left <= 0 || (f.mirror !== undefined && f.mirror !== mirror)) return false;
      const match = f.match ?? 'listing';
      return match === 'any' || (match === 'listing' ? isListing : match === pathAndQuery);
    });
    if (!hit) return undefined;
    hit.left -= 1;
    this.faults = this.faults.filter((f) => f.left > 0);
    return hit.kind;
  }
}
