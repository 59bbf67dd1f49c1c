import { createHash } from 'node:crypto';

/**
 * RFC 6962 / RFC 9162 Merkle tree hashing, inclusion and consistency proofs. The custody log's
 * checkpoints commit to every entry hash so far with this construction, so anyone can check
 * them with any certificate-transparency tooling, and the verifiers are tested against the
 * transparency-dev/merkle reference vectors.
 *
 * Sizes and indexes are plain numbers (exact up to 2^53, far beyond any log we keep); all
 * halving uses arithmetic, not 32-bit bit operators, for that reason.
 */

const HASH_BYTES = 32;
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** Hash of the empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

export function leafHash(data: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

const isOdd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

/** Largest power of two strictly smaller than n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isPowerOfTwo = (n: number): boolean => n > 0 && splitPoint(n + 1) === n;

/**
 * A tree over a fixed list of leaf hashes. Hashes of perfect, aligned subtrees are memoised:
 * proofs for successive checkpoints reuse them, so verifying a log with many checkpoints costs
 * about one pass over the leaves instead of one pass per checkpoint.
 */
export class MerkleTree {
  private readonly memo = new Map<string, Buffer>();

  constructor(private readonly leaves: readonly Buffer[]) {}

  get size(): number {
    return this.leaves.length;
  }

  /** MTH(D[0:n]) for n ≤ size. */
  root(n = this.leaves.length): Buffer {
    if (n < 0 || n > this.leaves.length) throw new RangeError(`tree size ${n} outside 0..${this.leaves.length}`);
    return n === 0 ? EMPTY_ROOT : this.hashRange(0, n);
  }

  private hashRange(start: number, end: number): Buffer {
    const n = end - start;
    if (n === 1) return this.leaves[start] as Buffer;
    const key = isPowerOfTwo(n) ? `${start}:${n}` : undefined;
    const cached = key ? this.memo.get(key) : undefined;
    if (cached) return cached;
    const k = splitPoint(n);
    const h = nodeHash(this.hashRange(start, start + k), this.hashRange(start + k, end));
    if (key) this.memo.set(key, h);
    return h;
  }

  /** RFC 6962 §2.1.1 PATH(m, D[n]): audit path for leaf `index` in the tree of the first `n` leaves. */
  inclusionProof(index: number, n = this.leaves.length): Buffer[] {
    if (n > this.leaves.length || index < 0 || index >= n) throw new RangeError(`leaf ${index} not in a tree of ${n}`);
    const path: Buffer[] = [];
    const walk = (m: number, start: number, end: number): void => {
      const size = end - start;
      if (size <= 1) return;
      const k = splitPoint(size);
      if (m < k) {
        walk(m, start, start + k);
        path.push(this.hashRange(start + k, end));
      } else {
        walk(m - k, start + k, end);
        path.push(this.hashRange(start, start + k));
      }
    };
    walk(index, 0, n);
    return path;
  }

  /** RFC 6962 §2.1.2 PROOF(m, D[n]): proves the tree of size m is a prefix of the tree of size n. */
  consistencyProof(m: number, n = this.leaves.length): Buffer[] {
    if (n > this.leaves.length || m < 1 || m > n) throw new RangeError(`no consistency proof from ${m} to ${n}`);
    const proof: Buffer[] = [];
    const sub = (mm: number, start: number, end: number, complete: boolean): void => {
      const size = end - start;
      if (mm === size) {
        if (!complete) proof.push(this.hashRange(start, end));
        return;
      }
      const k = splitPoint(size);
      if (mm <= k) {
        sub(mm, start, start + k, complete);
        proof.push(this.hashRange(start + k, end));
      } else {
        sub(mm - k, start + k, end, false);
        proof.push(this.hashRange(start, start + k));
      }
    };
    if (m < n) sub(m, 0, n, true);
    return proof;
  }
}

/** Root of a list of leaf hashes (convenience over MerkleTree). */
export function rootHash(leaves: readonly Buffer[]): Buffer {
  return new MerkleTree(leaves).root();
}

/**
 * Incremental root: keeps the roots of the perfect subtrees that make up the tree so far
 * (the binary decomposition of its size), so appending and asking for the root are O(log n).
 * The custody-log writer uses it to sign a new head after every append without rereading.
 */
export class MerkleAccumulator {
  private stack: { size: number; hash: Buffer }[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(leaf: Buffer): void {
    let node = { size: 1, hash: leaf };
    while (this.stack.length > 0 && (this.stack[this.stack.length - 1] as { size: number }).size === node.size) {
      const left = this.stack.pop() as { size: number; hash: Buffer };
      node = { size: left.size * 2, hash: nodeHash(left.hash, node.hash) };
    }
    this.stack.push(node);
    this.count++;
  }

  root(): Buffer {
    if (this.stack.length === 0) return EMPTY_ROOT;
    // RFC 6962 splits at the largest power of two, so the root folds the stack from the right.
    let acc = (this.stack[this.stack.length - 1] as { hash: Buffer }).hash;
    for (let i = this.stack.length - 2; i >= 0; i--) acc = nodeHash((this.stack[i] as { hash: Buffer }).hash, acc);
    return acc;
  }
}

/** RFC 9162 §2.1.3.2. False for any malformed input (bad sizes, wrong proof length). */
export function verifyInclusion(index: number, treeSize: number, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize) return false;
  // A leaf or root that is not a SHA-256 value (empty, truncated) can never be a valid proof end.
  if (leaf.length !== HASH_BYTES || root.length !== HASH_BYTES) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && Buffer.from(r).equals(Buffer.from(root));
}

/**
 * RFC 9162 §2.1.4.2. As in transparency-dev/merkle, a proof from the empty tree is rejected
 * (it would prove nothing), equal sizes need an empty proof and equal roots.
 */
export function verifyConsistency(size1: number, size2: number, root1: Uint8Array, root2: Uint8Array, proof: readonly Uint8Array[]): boolean {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 1 || size2 < size1) return false;
  if (size1 === size2) return proof.length === 0 && Buffer.from(root1).equals(Buffer.from(root2));
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Uint8Array = path[0] as Uint8Array;
  let sr: Uint8Array = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && Buffer.from(fr).equals(Buffer.from(root1)) && Buffer.from(sr).equals(Buffer.from(root2));
}
