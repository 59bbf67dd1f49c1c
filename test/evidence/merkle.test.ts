import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leafHash, MerkleAccumulator, MerkleTree, verifyConsistency, verifyInclusion } from '../../src/evidence/merkle.js';
import { fixturePath, SHARED_MISSING, sharedPath } from '../helpers/shared.js';

const dir = fixturePath('merkle');
const b64 = (s: string): Buffer => Buffer.from(s, 'base64');

function jsonFiles(root: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(root).sort()) {
    const p = join(root, name);
    if (statSync(p).isDirectory()) out.push(...jsonFiles(p));
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

interface InclusionCase { leafIdx: number; treeSize: number; root: string; leafHash: string; proof: string[] | null; desc: string; wantErr: boolean }
interface ConsistencyCase { size1: number; size2: number; root1: string; root2: string; proof: string[] | null; desc: string; wantErr: boolean }

const reference = JSON.parse(readFileSync(join(dir, 'reference-roots.json'), 'utf8')) as { leafInputsHex: string[]; rootHashesHex: string[] };
const leaves = reference.leafInputsHex.map((h) => leafHash(Buffer.from(h, 'hex')));

describe('RFC 6962 Merkle tree (transparency-dev/merkle vectors)', () => {
  it('computes the reference roots for 1–8 leaves, directly and incrementally', () => {
    const acc = new MerkleAccumulator();
    for (let n = 1; n <= leaves.length; n++) {
      const tree = new MerkleTree(leaves.slice(0, n));
      expect(tree.root().toString('hex'), `size ${n}`).toBe(reference.rootHashesHex[n - 1]);
      acc.push(leaves[n - 1] as Buffer);
      expect(acc.root().toString('hex'), `incremental size ${n}`).toBe(reference.rootHashesHex[n - 1]);
    }
    expect(new MerkleTree([]).root().toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  const inclusion = jsonFiles(join(dir, 'testdata', 'inclusion'));
  const consistency = jsonFiles(join(dir, 'testdata', 'consistency'));

  it('has the copied vectors', () => {
    expect(inclusion.length).toBeGreaterThan(80);
    expect(consistency.length).toBeGreaterThan(80);
  });

  it.each(inclusion.map((f) => [relative(dir, f), f]))('inclusion %s', (_name, file) => {
    const c = JSON.parse(readFileSync(file, 'utf8')) as InclusionCase;
    const ok = verifyInclusion(c.leafIdx, c.treeSize, b64(c.leafHash), (c.proof ?? []).map(b64), b64(c.root));
    expect(ok, c.desc).toBe(!c.wantErr);
  });

  it.each(consistency.map((f) => [relative(dir, f), f]))('consistency %s', (_name, file) => {
    const c = JSON.parse(readFileSync(file, 'utf8')) as ConsistencyCase;
    const ok = verifyConsistency(c.size1, c.size2, b64(c.root1), b64(c.root2), (c.proof ?? []).map(b64));
    expect(ok, c.desc).toBe(!c.wantErr);
  });

  it('generates proofs that the verifiers accept, and that match the reference proofs', () => {
    const tree = new MerkleTree(leaves);
    for (let n = 1; n <= leaves.length; n++) {
      for (let i = 0; i < n; i++) {
        const proof = tree.inclusionProof(i, n);
        expect(verifyInclusion(i, n, leaves[i] as Buffer, proof, tree.root(n))).toBe(true);
        expect(verifyInclusion(i, n, leaves[(i + 1) % leaves.length] as Buffer, proof, tree.root(n))).toBe(false);
      }
      for (let m = 1; m <= n; m++) {
        const proof = tree.consistencyProof(m, n);
        expect(verifyConsistency(m, n, tree.root(m), tree.root(n), proof), `${m}->${n}`).toBe(true);
      }
    }
    // The generated proof is the one in the happy-path vector.
    const happy = JSON.parse(readFileSync(join(dir, 'testdata', 'consistency', '3', 'happy-path.json'), 'utf8')) as ConsistencyCase;
    const generated = tree.consistencyProof(happy.size1, happy.size2).map((b) => b.toString('base64'));
    expect(generated).toEqual(happy.proof);
  });

  it.skipIf(!sharedPath('fixtures', 'merkle', 'reference-roots.json'))('the committed copy matches ../shared (else: ' + SHARED_MISSING + ')', () => {
    const shared = sharedPath('fixtures', 'merkle', 'reference-roots.json') as string;
    expect(readFileSync(join(dir, 'reference-roots.json'), 'utf8')).toBe(readFileSync(shared, 'utf8'));
  });
});
