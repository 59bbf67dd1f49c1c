/**
 * Deterministic pseudo-text for unit tests of the text tiers: a seeded generator over a
 * vocabulary of made-up words, so tests need no corpus and no real data.
 */
export function rng(seed: number): () => number {
  let a = seed >>> 0 || 1;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYL = ['ka', 'lo', 'mi', 'ne', 'su', 'ta', 'vi', 'ro', 'pe', 'da', 'gu', 'he', 'zo', 'fi', 'ba', 'ny', 'qu', 'wel', 'ost', 'ran'];

export function vocabulary(size: number, seed = 7): string[] {
  const r = rng(seed);
  const words = new Set<string>();
  while (words.size < size) {
    const n = 1 + Math.floor(r() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYL[Math.floor(r() * SYL.length)];
    words.add(w);
  }
  return [...words];
}

const VOCAB = vocabulary(5000);

export function randomWords(count: number, seed: number): string[] {
  const r = rng(seed);
  return Array.from({ length: count }, () => VOCAB[Math.floor(r() * VOCAB.length)] as string);
}

export function randomText(count: number, seed: number): string {
  const words = randomWords(count, seed);
  const lines: string[] = [];
  for (let i = 0; i < words.length; i += 12) lines.push(words.slice(i, i + 12).join(' ') + '.');
  return lines.join('\n');
}
