/**
 * Word-shingle statistics used to check that the generator does what the detection
 * benchmarks assume (unrelated notes share almost nothing; templates share their
 * boilerplate). Tokenisation mirrors the fingerprinting tier: lower case, every run of
 * non-alphanumeric characters is a separator.
 */

export function words(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

/** The set of k-word shingles of `text`, each as a space-joined string. */
export function shingleSet(text: string, k = 8): Set<string> {
  const w = words(text);
  const out = new Set<string>();
  for (let i = 0; i + k <= w.length; i++) out.add(w.slice(i, i + k).join(' '));
  return out;
}

/**
 * Share of `a`'s shingles that also occur in `b` (containment of a in b). Containment, not
 * Jaccard, because it answers the matcher's question: how much of this file is also there.
 */
export function containment(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0) return 0;
  let shared = 0;
  for (const s of a) if (b.has(s)) shared++;
  return shared / a.size;
}

export interface PairStats {
  pairs: number;
  /** Mean containment over the pairs (both directions averaged). */
  meanShared: number;
  maxShared: number;
  /** Share of pairs with at least one shingle in common. */
  pairsWithAnyShared: number;
}

/** Containment statistics over random pairs `[i, j]` of texts. */
export function pairStats(texts: readonly string[], pairs: ReadonlyArray<readonly [number, number]>, k = 8): PairStats {
  const sets = new Map<number, Set<string>>();
  const get = (i: number): Set<string> => {
    let s = sets.get(i);
    if (!s) {
      s = shingleSet(texts[i] ?? '', k);
      sets.set(i, s);
    }
    return s;
  };
  let sum = 0;
  let max = 0;
  let any = 0;
  for (const [i, j] of pairs) {
    const a = get(i);
    const b = get(j);
    const c = (containment(a, b) + containment(b, a)) / 2;
    sum += c;
    if (c > max) max = c;
    if (c > 0) any++;
  }
  return { pairs: pairs.length, meanShared: pairs.length ? sum / pairs.length : 0, maxShared: max, pairsWithAnyShared: pairs.length ? any / pairs.length : 0 };
}
