/**
 * New Zealand National Health Index (NHI) numbers: check characters and validation.
 *
 * Two formats exist (HISO 10046:2023): the original AAANNNC (numeric check digit, modulus
 * 11) and the expanded AAANNAX (alphabetic check character, modulus 23; an earlier draft
 * used modulus 24, which collides too often, and published test values such as ZBN77VL and
 * ZZZ00AC only validate with 23). Letters come from a 24-letter alphabet without I and O;
 * A=1 .. Z=24, digits count as themselves, and the first six characters are weighted
 * 7, 6, 5, 4, 3, 2.
 *
 * Why we care: an NHI found in a leaked sample counts as an identifier only when its check
 * character is right, so random seven-character strings never become "exposed patients".
 * The synthetic generator (src/synth) uses the same rules, and only NHIs starting with Z, a
 * range the standard reserves for testing.
 */

export const NHI_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

const OLD_FORMAT = /^[A-HJ-NP-Z]{3}\d{4}$/;
const NEW_FORMAT = /^[A-HJ-NP-Z]{3}\d{2}[A-HJ-NP-Z]{2}$/;

function charValue(c: string): number {
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  return NHI_ALPHABET.indexOf(c) + 1;
}

function weightedSum(first6: string): number {
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += charValue(first6.charAt(i)) * (7 - i);
  return sum;
}

/**
 * The check character for the first six characters of an NHI, or undefined when none exists
 * (old format with a weighted sum divisible by 11: such identifiers are never issued).
 * The format is taken from the sixth character: a digit means old, a letter means new.
 */
export function nhiCheckChar(first6: string): string | undefined {
  const body = first6.toUpperCase();
  if (!/^[A-HJ-NP-Z]{3}\d{2}[0-9A-HJ-NP-Z]$/.test(body)) return undefined;
  const sum = weightedSum(body);
  if (/\d$/.test(body)) {
    const checksum = sum % 11;
    if (checksum === 0) return undefined;
    return String((11 - checksum) % 10);
  }
  // Expanded format: check value 23 - (sum mod 23), 1..23, as a letter (A..Y; never Z).
  return NHI_ALPHABET.charAt(23 - (sum % 23) - 1);
}

/** Whether `nhi` is well formed (either format, any case) and its check character is right. */
export function isValidNhi(nhi: string): boolean {
  const value = nhi.toUpperCase();
  if (!OLD_FORMAT.test(value) && !NEW_FORMAT.test(value)) return false;
  return nhiCheckChar(value.slice(0, 6)) === value.charAt(6);
}

export type NhiFormat = 'old' | 'new';

export function nhiFormat(nhi: string): NhiFormat | undefined {
  const value = nhi.toUpperCase();
  if (OLD_FORMAT.test(value)) return 'old';
  if (NEW_FORMAT.test(value)) return 'new';
  return undefined;
}
