/**
 * Synthetic patients and practices, each a pure function of (seed, space, index).
 *
 * Safety: nothing here is real. NHIs start with Z (reserved for testing by HISO 10046),
 * e-mail domains are the RFC 2606 example.* domains, and names, streets and phone numbers
 * are drawn independently at random, so no real person's record is ever reproduced.
 *
 * Identity spaces: the "main" space is the stolen corpus; the "unrelated" space feeds
 * false-match tests. Their NHIs and record keys are disjoint by construction (different
 * second NHI letters, different record-key prefixes), so an unrelated corpus can never share
 * a patient identifier with a main corpus, whatever the seeds.
 */
import { NHI_ALPHABET, nhiCheckChar } from './nhi.js';
import { CITIES, FAMILY, GIVEN_FEMALE, GIVEN_MALE, GIVEN_NEUTRAL, PRACTICE_PATTERNS, STREET_NAMES, STREET_TYPES } from './names.js';
import { Rng, deriveSeed, rngFor } from './rng.js';

export type IdSpace = 'main' | 'unrelated';
export type Sex = 'F' | 'M' | 'X';

export interface Address {
  /** "Flat 2, 17" or "17": printed before the street name. */
  number: string;
  street: string;
  suburb: string;
  city: string;
  postcode: string;
}

export interface Pronouns {
  subject: string;
  object: string;
  possessive: string;
}

export interface Practice {
  index: number;
  name: string;
  address: Address;
  phone: string;
  /** Clinicians working there, as printed ("Dr Mere Ngata"). */
  clinicians: readonly string[];
}

export interface Patient {
  space: IdSpace;
  index: number;
  /** The portal's record key: stable, unique per space, used as the folder name. */
  recordKey: string;
  nhi: string;
  givenName: string;
  middleName: string | undefined;
  familyName: string;
  /** "Given Middle Family". */
  fullName: string;
  sex: Sex;
  pronouns: Pronouns;
  /** ISO date (YYYY-MM-DD). */
  dateOfBirth: string;
  address: Address;
  phone: string;
  email: string;
  practice: Practice;
  /** The usual clinician at the practice. */
  gp: string;
}

/**
 * The date the synthetic world "is at". Fixed rather than Date.now() so ages and document
 * dates never drift between runs.
 */
export const REFERENCE_DATE = '2024-06-30';

/** Practices per seed and space: enough variety of letterheads, few enough to share them. */
export const PRACTICES_PER_SPACE = 40;

const SPACE_LETTERS: Record<IdSpace, string> = {
  main: NHI_ALPHABET.slice(0, 12),
  unrelated: NHI_ALPHABET.slice(12),
};
const RECORD_PREFIX: Record<IdSpace, string> = { main: 'PT', unrelated: 'QX' };

/** Distinct (letter2, letter3, three digits) bodies per space. */
/** Patients per (seed, space) with distinct test-range NHIs. */
export const NHI_SPACE_SIZE = 12 * 24 * 1000;
const RECORD_SPACE_SIZE = 10_000_000;

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * A seed-dependent bijection on [0, n): index -> (a * index + b) mod n. Not cryptographic,
 * only there so consecutive patients do not get consecutive identifiers.
 */
function permute(index: number, n: number, seed: number, label: string): number {
  const rng = rngFor(seed, label, n);
  let a = rng.int(1, n - 1);
  while (gcd(a, n) !== 1) a++;
  const b = rng.int(0, n - 1);
  // Split the multiplication so it stays exact below 2^53.
  const hi = Math.floor(index / 65536);
  const lo = index % 65536;
  return (((((a * hi) % n) * 65536) % n) + a * lo + b) % n;
}

/**
 * The NHI for a patient: injective per (seed, space) for index < 288,000. About a quarter of
 * patients, plus every body whose old-format checksum is 0, get the revised format.
 */
export function syntheticNhi(seed: number, space: IdSpace, index: number): string {
  if (index < 0 || index >= NHI_SPACE_SIZE) throw new RangeError(`patient index out of range: ${index}`);
  const p = permute(index, NHI_SPACE_SIZE, seed, `nhi-${space}`);
  const letter2 = SPACE_LETTERS[space].charAt(p % 12);
  const q = Math.floor(p / 12);
  const letter3 = NHI_ALPHABET.charAt(q % 24);
  const digits = String(Math.floor(q / 24)).padStart(3, '0');
  const prefix = `Z${letter2}${letter3}`;
  const old = `${prefix}${digits}`;
  const oldCheck = nhiCheckChar(old);
  const wantsNew = rngFor(seed, 'nhi-format', space, index).chance(0.25);
  if (oldCheck !== undefined && !wantsNew) return old + oldCheck;
  // Map the last digit to one of the first ten letters: keeps the mapping injective.
  const body = `${prefix}${digits.slice(0, 2)}${NHI_ALPHABET.charAt(Number(digits.charAt(2)))}`;
  return body + (nhiCheckChar(body) ?? '');
}

export function syntheticRecordKey(seed: number, space: IdSpace, index: number): string {
  const p = permute(index, RECORD_SPACE_SIZE, seed, `record-${space}`);
  return `${RECORD_PREFIX[space]}${String(p).padStart(7, '0')}`;
}

function digits(rng: Rng, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(rng.int(0, 9));
  return out;
}

function landline(rng: Rng, areaCode: string): string {
  return `(${areaCode}) ${rng.int(2, 9)}${digits(rng, 2)} ${digits(rng, 4)}`;
}

function mobile(rng: Rng): string {
  const prefix = rng.pick(['021', '022', '027', '029', '020']);
  return `${prefix} ${digits(rng, 3)} ${digits(rng, rng.chance(0.7) ? 4 : 3)}`;
}

function makeAddress(rng: Rng, cityIndex?: number): Address {
  const city = cityIndex === undefined ? rng.weighted(CITIES.map((c, i) => [c, i < 4 ? 4 : 1] as const)) : CITIES[cityIndex];
  if (!city) throw new RangeError('no such city');
  const num = rng.chance(0.7) ? rng.int(1, 120) : rng.int(121, 999);
  const unit = rng.chance(0.15) ? `${rng.pick(['Flat', 'Unit', 'Apartment'])} ${rng.int(1, 24)}, ` : '';
  const letter = rng.chance(0.08) ? rng.pick(['A', 'B', 'C']) : '';
  return {
    number: `${unit}${num}${letter}`,
    street: `${rng.pick(STREET_NAMES)} ${rng.pick(STREET_TYPES)}`,
    suburb: rng.pick(city.suburbs),
    city: city.name,
    postcode: String(rng.int(city.postcodes[0], city.postcodes[1])).padStart(4, '0'),
  };
}

export function formatAddress(a: Address, separator = ', '): string {
  return [`${a.number} ${a.street}`, a.suburb, `${a.city} ${a.postcode}`].join(separator);
}

/** ISO YYYY-MM-DD to the NZ display form DD/MM/YYYY. */
export function formatDateNz(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** ISO date to "3 July 2021", the form used in letters. */
export function formatDateLong(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTHS[(m ?? 1) - 1]} ${y}`;
}

/** Adds whole days to an ISO date (UTC arithmetic: no time-zone dependence). */
export function addDays(iso: string, days: number): string {
  const t = Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Whole years between two ISO dates. */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  let age = (y ?? 0) - (by ?? 0);
  if ((m ?? 0) < (bm ?? 0) || ((m ?? 0) === (bm ?? 0) && (d ?? 0) < (bd ?? 0))) age--;
  return age;
}

function clinicianName(rng: Rng): string {
  const given = rng.pick(rng.chance(0.5) ? GIVEN_FEMALE : GIVEN_MALE);
  return `Dr ${given} ${rng.pick(FAMILY)}`;
}

/** Practice `index` (0 .. PRACTICES_PER_SPACE-1) of a seed and space. */
export function makePractice(seed: number, space: IdSpace, index: number): Practice {
  const rng = rngFor(seed, 'practice', space, index);
  const address = makeAddress(rng);
  const pattern = rng.pick(PRACTICE_PATTERNS);
  const name = pattern
    .replace('{S}', address.suburb)
    .replace('{T}', address.street.split(' ').slice(0, -1).join(' '))
    .replace('{F}', rng.pick(FAMILY));
  const city = CITIES.find((c) => c.name === address.city);
  const clinicians = Array.from({ length: rng.int(2, 6) }, () => clinicianName(rng));
  return { index, name, address, phone: landline(rng, city?.areaCode ?? '09'), clinicians };
}

const practiceCache = new Map<string, Practice>();

function practiceFor(seed: number, space: IdSpace, index: number): Practice {
  const key = `${seed}/${space}/${index}`;
  let p = practiceCache.get(key);
  if (!p) {
    if (practiceCache.size > 4096) practiceCache.clear();
    p = makePractice(seed, space, index);
    practiceCache.set(key, p);
  }
  return p;
}

function emailLocal(given: string, family: string, rng: Rng): string {
  const clean = (s: string): string => s.toLowerCase().replace(/[^a-z]/g, '');
  const g = clean(given);
  const f = clean(family);
  const style = rng.int(0, 4);
  const base = style === 0 ? `${g}.${f}` : style === 1 ? `${g.charAt(0)}${f}` : style === 2 ? `${g}${f}` : style === 3 ? `${f}.${g}` : `${g}_${f.charAt(0)}`;
  return rng.chance(0.5) ? `${base}${rng.int(1, 99)}` : base;
}

/** Date of birth: a realistic age mix for a general-practice population. */
function dateOfBirth(rng: Rng): string {
  const band = rng.weighted([[[0, 17], 15], [[18, 44], 32], [[45, 64], 28], [[65, 98], 25]] as const);
  const age = rng.int(band[0], band[1]);
  return addDays(REFERENCE_DATE, -(age * 365 + rng.int(0, 364)));
}

/**
 * Patient `index` of a seed and space; the same arguments always give the same patient.
 * `rng` replaces the patient's own generator (tablePatient: people beyond the NHI range).
 */
export function makePatient(seed: number, index: number, space: IdSpace = 'main', rng = new Rng(deriveSeed(seed, 'patient', space, index))): Patient {
  const sex: Sex = rng.weighted([['F', 50], ['M', 48], ['X', 2]] as const);
  const givenList = rng.chance(0.06) ? GIVEN_NEUTRAL : sex === 'F' ? GIVEN_FEMALE : sex === 'M' ? GIVEN_MALE : GIVEN_NEUTRAL;
  const givenName = rng.pick(givenList);
  const middleName = rng.chance(0.45) ? rng.pick(sex === 'F' ? GIVEN_FEMALE : sex === 'M' ? GIVEN_MALE : GIVEN_NEUTRAL) : undefined;
  const familyName = rng.pick(FAMILY);
  const pronouns: Pronouns =
    sex === 'F'
      ? { subject: 'she', object: 'her', possessive: 'her' }
      : sex === 'M'
        ? { subject: 'he', object: 'him', possessive: 'his' }
        : { subject: 'they', object: 'them', possessive: 'their' };
  const address = makeAddress(rng);
  const city = CITIES.find((c) => c.name === address.city);
  const practice = practiceFor(seed, space, rng.int(0, PRACTICES_PER_SPACE - 1));
  return {
    space,
    index,
    recordKey: syntheticRecordKey(seed, space, index),
    nhi: syntheticNhi(seed, space, index),
    givenName,
    middleName: middleName === givenName ? undefined : middleName,
    familyName,
    fullName: [givenName, middleName === givenName ? undefined : middleName, familyName].filter(Boolean).join(' '),
    sex,
    pronouns,
    dateOfBirth: dateOfBirth(rng),
    address,
    phone: rng.chance(0.75) ? mobile(rng) : landline(rng, city?.areaCode ?? '09'),
    email: `${emailLocal(givenName, familyName, rng)}@${rng.pick(['example.com', 'example.net', 'example.org'])}`,
    practice,
    gp: rng.pick(practice.clinicians),
  };
}
