import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { issuesToProblems } from '../config/format-issues.js';
import { formatProblem, type ConfigProblem } from '../config/problems.js';
import { InputError } from '../errors.js';
import { COLUMN_KINDS, fieldOfKind, MIN_FIELDS, type ColumnKind } from './kinds.js';

/**
 * The schema file of a patient table (YAML or JSON): which column holds what. Columns of the
 * table that the schema does not name are not read. See docs/records.md.
 *
 *   columns:
 *     NHI: nhi
 *     Given name: given-name
 *     Family name: family-name
 *     DOB: dob
 *     Patient ID: record-key
 *   dateOrder: dmy        # how 03/04/1985 is read (default: day first, as in New Zealand)
 *   phoneCountryCode: 64  # given to national numbers ("021 …" → "6421 …")
 *   delimiter: ","        # default: "," (tab for .tsv files)
 */
export const RecordSchemaFile = z.strictObject({
  columns: z.record(z.string().min(1), z.enum(COLUMN_KINDS)),
  dateOrder: z.enum(['dmy', 'mdy']).optional(),
  phoneCountryCode: z.union([z.string().regex(/^\d{1,3}$/, 'must be 1 to 3 digits'), z.number().int().min(1).max(999)]).optional(),
  delimiter: z.string().length(1).optional(),
});

export interface RecordSchema {
  columns: { name: string; kind: ColumnKind }[];
  dateOrder: 'dmy' | 'mdy';
  phoneCountryCode: string;
  delimiter?: string;
}

/** Semantic rules zod cannot express, as problems with paths. */
function ruleProblems(columns: Record<string, ColumnKind>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const entries = Object.entries(columns);
  const keys = entries.filter(([, k]) => k === 'record-key');
  if (keys.length !== 1) problems.push({ path: 'columns', message: `needs exactly one record-key column (the id the victim maps back to a person), found ${keys.length}` });
  const practices = entries.filter(([, k]) => k === 'practice');
  if (practices.length > 1) problems.push({ path: 'columns', message: `at most one practice column, found ${practices.length}` });
  const fields = new Set(entries.map(([, k]) => fieldOfKind(k)).filter((f) => f !== undefined));
  if (fields.size < MIN_FIELDS) {
    problems.push({ path: 'columns', message: `needs at least ${MIN_FIELDS} identifying fields (nhi, a name, dob, email, phone, address), found ${fields.size}` });
  }
  const full = entries.some(([, k]) => k === 'full-name');
  const parts = entries.some(([, k]) => k === 'given-name' || k === 'family-name' || k === 'middle-name');
  if (full && parts) problems.push({ path: 'columns', message: 'use either full-name or given-name/family-name columns, not both' });
  return problems;
}

/** Validates a parsed schema document; every problem at once. */
export function validateRecordSchema(raw: unknown, file?: string): { schema?: RecordSchema; problems: ConfigProblem[] } {
  const r = RecordSchemaFile.safeParse(raw);
  if (!r.success) return { problems: issuesToProblems(r.error.issues, { raw, schema: RecordSchemaFile, ...(file ? { file } : {}) }) };
  const problems = ruleProblems(r.data.columns).map((p) => ({ ...p, ...(file ? { file } : {}) }));
  if (problems.length) return { problems };
  return {
    problems: [],
    schema: {
      columns: Object.entries(r.data.columns).map(([name, kind]) => ({ name, kind })),
      dateOrder: r.data.dateOrder ?? 'dmy',
      phoneCountryCode: String(r.data.phoneCountryCode ?? '64'),
      ...(r.data.delimiter ? { delimiter: r.data.delimiter } : {}),
    },
  };
}

/** Reads and validates a schema file; throws an InputError listing every problem. */
export function loadRecordSchema(file: string): RecordSchema {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError('E_INPUT_NOT_FOUND', `cannot read the record schema ${file}: ${(err as Error).message}`, { input: file, cause: err });
  }
  let raw: unknown;
  try {
    raw = file.toLowerCase().endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new InputError('E_CORRUPT_FILE', `the record schema ${file} is not valid ${file.toLowerCase().endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`, { input: file });
  }
  const r = validateRecordSchema(raw, file);
  if (!r.schema) {
    throw new InputError('E_CONFIG', `the record schema ${file} has ${r.problems.length} problem${r.problems.length > 1 ? 's' : ''}:\n${r.problems.map((p) => `  ${formatProblem({ ...p, file: '' })}`).join('\n')}`, { input: file });
  }
  return r.schema;
}
