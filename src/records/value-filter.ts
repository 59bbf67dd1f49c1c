/**
 * A blocked Bloom filter over the distinct hashes of a cell index, asked before the index
 * itself. About half the candidates a dump yields are in no record (unrelated people's names,
 * phone numbers, NHIs: 52 % on the benchmark's mix, 68 % of names), and each of those cost a
 * directory read and a binary search in the ~46 MB hash array (~100 ns a miss on one thread);
 * the filter answers most of them from one 32-bit word of an array of ~1 byte a value (4 MB
 * at 1M rows: cache-resident, and shared between threads with the index).
 *
 * Each value sets 3 bits of one word. The word is chosen by the hash's top bits, like the
 * index's directory, so a batch looked up in hash order (lookupOrder) reads the filter front
 * to back; the bits come from its low bits. Keyed hashes are uniform (AES output), so the two
 * are independent. It never rejects a value that was added; it lets through ~3 % of others,
 * which the index then turns away.
 */

/** Words of 32 bits, ~4 values a word (8–16 bits a value once rounded to a power of two). */
const VALUES_PER_WORD = 4;
const MIN_BITS = 6;
/** At most 2 ** 23 words (32 MB): a larger set gets a denser filter, not a bigger one. */
const MAX_BITS = 23;
const TWO32 = 0x100000000;

export class ValueFilter {
  /** The filter's words (on a SharedArrayBuffer when built here, so threads can share them). */
  readonly words: Uint32Array;
  /** 2 ** (52 - log2(words)): a hash divided by it (floored) is its word. */
  readonly shift: number;

  /** A filter over `words` (another filter's, e.g. posted from another thread). */
  constructor(words: Uint32Array) {
    const bits = Math.log2(words.length);
    if (!Number.isInteger(bits)) throw new RangeError(`a value filter has a power-of-two number of words, not ${words.length}`);
    this.words = words;
    this.shift = 2 ** (52 - bits);
  }

  /** The filter of sorted 52-bit `hashes` (repeats count once). */
  static build(hashes: Float64Array): ValueFilter {
    const n = hashes.length;
    let distinct = 0;
    for (let i = 0; i < n; i++) if (i === 0 || hashes[i] !== hashes[i - 1]) distinct++;
    const bits = Math.max(MIN_BITS, Math.min(MAX_BITS, Math.ceil(Math.log2(Math.max(1, distinct / VALUES_PER_WORD)))));
    const filter = new ValueFilter(new Uint32Array(new SharedArrayBuffer(4 << bits)));
    for (let i = 0; i < n; i++) filter.add(hashes[i] as number);
    return filter;
  }

  add(h: number): void {
    const w = Math.floor(h / this.shift);
    this.words[w] = (this.words[w] as number) | bitsOf(h);
  }

  /** False: `h` was never added. True: it may have been. */
  has(h: number): boolean {
    const mask = bitsOf(h);
    return ((this.words[Math.floor(h / this.shift)] as number) & mask) === mask;
  }
}

/** The 3 bits (of 32) a hash sets in its word, from its low 15 bits. */
export function bitsOf(h: number): number {
  const lo = h % TWO32;
  return (1 << (lo & 31)) | (1 << ((lo >>> 5) & 31)) | (1 << ((lo >>> 10) & 31));
}
