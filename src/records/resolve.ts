import type { FingerprintStore } from '../store/fingerprint-store.js';
import { recordRows } from '../store/record-store.js';
import type { Field } from './kinds.js';
import type { RecordExposure } from './scan-file.js';

/** An exposure named by the victim's record key (never by a value from the record). */
export interface NamedExposure {
  set: string;
  recordKey: string;
  practice: string | null;
  fields: Field[];
  memberPath: string;
  memberSha256: string;
  reader: RecordExposure['reader'];
}

export function nameExposures(store: FingerprintStore, exposures: readonly RecordExposure[]): NamedExposure[] {
  const bySet = new Map<number, RecordExposure[]>();
  for (const e of exposures) {
    let l = bySet.get(e.setId);
    if (!l) bySet.set(e.setId, (l = []));
    l.push(e);
  }
  const out: NamedExposure[] = [];
  for (const [setId, list] of bySet) {
    const rows = new Map(recordRows(store, setId, [...new Set(list.map((e) => e.rowNo))]).map((r) => [r.rowNo, r]));
    for (const e of list) {
      const r = rows.get(e.rowNo);
      if (!r) continue;
      out.push({ set: e.set, recordKey: r.recordKey, practice: r.practice, fields: e.fields, memberPath: e.memberPath, memberSha256: e.memberSha256, reader: e.reader });
    }
  }
  return out.sort((a, b) => a.memberPath.localeCompare(b.memberPath) || a.recordKey.localeCompare(b.recordKey));
}
