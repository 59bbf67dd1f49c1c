import { InputError } from '../errors.js';
import type { Field } from './kinds.js';
import { nameKey, nameTokens, normaliseAddress, normaliseDate, normaliseEmail, normaliseNhi, normalisePhone } from './normalise.js';
import type { RecordSchema } from './schema.js';

/** One normalised identifying value of a row, before keying. */
export interface FieldValue {
  field: Field;
  value: string;
}

export interface VictimRow {
  recordKey: string;
  practice?: string;
  values: FieldValue[];
  /** Identifying cells that were present but not valid for their kind (an NHI failing its check). */
  rejected: number;
}

/**
 * Where each schema column is in the table, from its header row. Every column the schema
 * names must be there (a renamed export column would otherwise silently fingerprint nothing).
 */
export class VictimRowReader {
  private readonly at: { index: number; kind: RecordSchema['columns'][number]['kind'] }[];

  constructor(
    private readonly schema: RecordSchema,
    header: readonly string[],
    input: string,
  ) {
    const byName = new Map(header.map((h, i) => [h.trim().toLowerCase(), i]));
    const missing = schema.columns.filter((c) => !byName.has(c.name.trim().toLowerCase()));
    if (missing.length) {
      throw new InputError('E_CORRUPT_FILE', `${input}: the header has no column${missing.length > 1 ? 's' : ''} ${missing.map((c) => JSON.stringify(c.name)).join(', ')} named in the schema (header: ${header.slice(0, 20).map((h) => JSON.stringify(h)).join(', ')})`, { input });
    }
    this.at = schema.columns.filter((c) => c.kind !== 'ignore').map((c) => ({ index: byName.get(c.name.trim().toLowerCase()) as number, kind: c.kind }));
  }

  /** The row's record key, practice and normalised identifying values; undefined without a key. */
  read(row: readonly string[]): VictimRow | undefined {
    let recordKey = '';
    let practice: string | undefined;
    const values: FieldValue[] = [];
    let rejected = 0;
    const given: string[] = [];
    const middle: string[] = [];
    const family: string[] = [];
    const cc = this.schema.phoneCountryCode;
    const add = (field: Field, v: string | undefined, raw: string): void => {
      if (v !== undefined) values.push({ field, value: v });
      else if (raw.trim() !== '') rejected++;
    };
    for (const { index, kind } of this.at) {
      const cell = row[index] ?? '';
      switch (kind) {
        case 'record-key':
          recordKey = cell.trim();
          break;
        case 'practice':
          if (cell.trim()) practice = cell.trim();
          break;
        case 'nhi':
          add('nhi', normaliseNhi(cell), cell);
          break;
        case 'email':
          add('email', normaliseEmail(cell), cell);
          break;
        case 'phone':
          add('phone', normalisePhone(cell, cc), cell);
          break;
        case 'dob': {
          const d = normaliseDate(cell, this.schema.dateOrder)[0];
          add('dob', d, cell);
          break;
        }
        case 'address': {
          const lines = normaliseAddress(cell);
          for (const l of lines) values.push({ field: 'address', value: l });
          if (lines.length === 0 && cell.trim()) rejected++;
          break;
        }
        case 'given-name':
          given.push(...nameTokens(cell));
          break;
        case 'middle-name':
          middle.push(...nameTokens(cell));
          break;
        case 'family-name':
          family.push(...nameTokens(cell));
          break;
        case 'full-name': {
          const t = nameTokens(cell);
          addName(values, t);
          // "Given Middle Family" is often written without the middle name.
          if (t.length >= 3) {
            addName(values, [t[0] as string, t[t.length - 1] as string]);
            addName(values, [t[0] as string, ...t.slice(2)]);
          }
          break;
        }
        default:
          break;
      }
    }
    if (given.length || family.length) {
      addName(values, [...given, ...family]);
      if (middle.length) addName(values, [...given, ...middle, ...family]);
    }
    if (!recordKey) return undefined;
    return { recordKey, ...(practice ? { practice } : {}), values: dedupe(values), rejected };
  }
}

function addName(values: FieldValue[], tokens: readonly string[]): void {
  const key = nameKey(tokens);
  if (key) values.push({ field: 'name', value: key });
}

function dedupe(values: FieldValue[]): FieldValue[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = `${v.field}\u0000${v.value}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
