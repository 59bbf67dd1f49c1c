/**
 * NHI check characters live with the record matcher (src/records/nhi.ts), which validates
 * identifiers found in leaked samples; the generator uses the same rules so synthetic NHIs
 * validate like real ones.
 */
export { NHI_ALPHABET, isValidNhi, nhiCheckChar, nhiFormat, type NhiFormat } from '../records/nhi.js';
