import type { FingerprintKeys } from '../fingerprint/keys.js';
import type { FingerprintStore } from '../store/fingerprint-store.js';
import { loadRecordIndex, resolveRecordSets } from '../store/record-store.js';
import { RecordMatcher, type SharedRecordSet } from './match.js';
import { RecordHasher } from './record-hash.js';

/** A matcher over the record sets of a store (all, or the named ones); empty when there are none. */
export function openRecordMatcher(store: FingerprintStore, sets?: readonly string[]): RecordMatcher {
  const infos = resolveRecordSets(store, sets);
  return new RecordMatcher(new RecordHasher(store.keys), infos.map((s) => loadRecordIndex(store, s)));
}

/**
 * A matcher over indexes another thread loaded (RecordMatcher.shared, posted to this one):
 * no load and no copy. `source` is the store they came from, or just its keys (its text key
 * hashes the samples).
 */
export function sharedRecordMatcher(source: { keys: Pick<FingerprintKeys, 'textKey'> }, sets: readonly SharedRecordSet[]): RecordMatcher {
  return new RecordMatcher(new RecordHasher(source.keys), sets);
}
