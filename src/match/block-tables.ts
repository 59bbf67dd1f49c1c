/**
 * The shared layout of the simhash and PDQ indexes: for each block of the hash, the entries
 * sorted by that block's value (a counting sort), with bucket offsets. A lookup reads one
 * bucket per block; memory is one Uint32 per entry per block.
 */
export interface BlockTable {
  /** offsets[k]..offsets[k+1] is the range of `order` whose entries have block value k. */
  offsets: Uint32Array;
  /** Entry indices grouped by block value. */
  order: Uint32Array;
}

export function buildBlockTables(n: number, blocks: number, buckets: number, keyOf: (entry: number, block: number) => number): BlockTable[] {
  const tables: BlockTable[] = [];
  for (let b = 0; b < blocks; b++) {
    const offsets = new Uint32Array(buckets + 1);
    for (let i = 0; i < n; i++) {
      const k = keyOf(i, b) + 1;
      offsets[k] = (offsets[k] as number) + 1;
    }
    for (let k = 0; k < buckets; k++) offsets[k + 1] = (offsets[k + 1] as number) + (offsets[k] as number);
    const fill = offsets.slice(0, buckets);
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const key = keyOf(i, b);
      order[fill[key] as number] = i;
      fill[key] = (fill[key] as number) + 1;
    }
    tables.push({ offsets, order });
  }
  return tables;
}
