/**
 * What a column of the victim's patient table holds. Identifying kinds are normalised, keyed
 * and hashed; `practice` and `record-key` are stored as they are (see docs/records.md);
 * `ignore` columns are never read.
 */
export const COLUMN_KINDS = [
  'nhi',
  'given-name',
  'middle-name',
  'family-name',
  'full-name',
  'dob',
  'email',
  'phone',
  'address',
  'practice',
  'record-key',
  'ignore',
] as const;
export type ColumnKind = (typeof COLUMN_KINDS)[number];

/**
 * The identifying fields a match is counted in. The name columns together make ONE field
 * (`name`: the person's full name): a given name alone is shared by thousands of people, so
 * given + family of the same row is a name, not two identifiers.
 */
export const FIELDS = ['nhi', 'name', 'dob', 'email', 'phone', 'address'] as const;
export type Field = (typeof FIELDS)[number];

/** Stored as a small integer in the cell index. */
export const FIELD_CODE: Record<Field, number> = { nhi: 0, name: 1, dob: 2, email: 3, phone: 4, address: 5 };

export function fieldOfCode(code: number): Field {
  const f = FIELDS[code];
  if (!f) throw new RangeError(`no record field with code ${code}`);
  return f;
}

/** The field an identifying column feeds, or undefined for practice / record-key / ignore. */
export function fieldOfKind(kind: ColumnKind): Field | undefined {
  switch (kind) {
    case 'given-name':
    case 'middle-name':
    case 'family-name':
    case 'full-name':
      return 'name';
    case 'nhi':
    case 'dob':
    case 'email':
    case 'phone':
    case 'address':
      return kind;
    default:
      return undefined;
  }
}

/** A match must show at least this many distinct fields of one record (docs/records.md). */
export const MIN_FIELDS = 2;

/** Tokens of free text within which two fields count as "together". */
export const TEXT_WINDOW_TOKENS = 30;

/**
 * Fields that single one person out on their own in a table: an NHI, an e-mail address, a
 * phone number, a street line. A name or a date of birth does not (a million-patient table
 * has dozens of people born on any one day, and common names repeat).
 */
export const UNIQUE_FIELDS: readonly Field[] = ['nhi', 'email', 'phone', 'address'];

/**
 * How sure an exposure is, for the people who must notify patients:
 * - `confirmed`: two fields of the record together, at least one of them a unique
 *   identifier (NHI, e-mail, phone, street line) — this record's person is in the sample;
 * - `possible`: name + date of birth only. Another person with the same name and birthday
 *   (in a big dump, common: the bench's false matches are all of this kind) matches too, so
 *   it is reported for review, and never counted in an alert's headline as a confirmed one.
 */
export type ExposureLevel = 'confirmed' | 'possible';

export function exposureLevel(fields: readonly string[]): ExposureLevel {
  return fields.some((f) => (UNIQUE_FIELDS as readonly string[]).includes(f)) ? 'confirmed' : 'possible';
}
