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
 * no load and no copy. `store` must be the store they came from (its key hashes the samples).
 */
export function sharedRecordMatcher(store: FingerprintStore, sets: readonly SharedRecordSet[]): RecordMatcher {
  return new RecordMatcher(new RecordHasher(store.keys), sets);
}
