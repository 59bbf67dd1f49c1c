import { FIELD_CODE, type Field } from './kinds.js';
import type { RecordHasher } from './record-hash.js';

/**
 * Values found in a sample, normalised for a field and hashed on the spot (first, unkeyed
 * step; the matcher keys the batch), with where they were: the same table row has one `unit`;
 * free text has one unit and positions in tokens, so two values are "together" when within
 * the text window. Parallel typed arrays, not objects: a dump yields millions of candidates.
 */
export class CandidateList {
  raw = new Float64Array(1024);
  field = new Uint8Array(1024);
  unit = new Int32Array(1024);
  pos = new Int32Array(1024);
  length = 0;

  constructor(private readonly hasher: RecordHasher) {}

  add(field: Field, value: string, unit: number, pos: number): void {
    this.addRaw(FIELD_CODE[field], this.hasher.raw(field, value), unit, pos);
  }

  /** A candidate already hashed (the first, unkeyed step), with its field's code. */
  addRaw(fieldCode: number, raw: number, unit: number, pos: number): void {
    if (this.length === this.raw.length) this.grow();
    const i = this.length++;
    this.raw[i] = raw;
    this.field[i] = fieldCode;
    this.unit[i] = unit;
    this.pos[i] = pos;
  }

  /** Of the candidates from `from` on, keeps those whose `keep` flag (indexed from `from`) is set, in order. */
  keepWhere(from: number, keep: Uint8Array): void {
    let j = from;
    for (let i = from; i < this.length; i++) {
      if (!keep[i - from]) continue;
      this.raw[j] = this.raw[i] as number;
      this.field[j] = this.field[i] as number;
      this.unit[j] = this.unit[i] as number;
      this.pos[j] = this.pos[i] as number;
      j++;
    }
    this.length = j;
  }

  clear(): void {
    this.length = 0;
  }

  private grow(): void {
    const n = this.raw.length * 2;
    const raw = new Float64Array(n);
    raw.set(this.raw);
    const field = new Uint8Array(n);
    field.set(this.field);
    const unit = new Int32Array(n);
    unit.set(this.unit);
    const pos = new Int32Array(n);
    pos.set(this.pos);
    Object.assign(this, { raw, field, unit, pos });
  }
}
