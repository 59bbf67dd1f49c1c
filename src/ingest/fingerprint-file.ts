import { errorCode, errorMessage, isAbort } from '../errors.js';
import { extractFile } from '../extract/extract-file.js';
import type { ExtractFailure, ExtractOptions } from '../extract/types.js';
import { fingerprintItem, type FingerprintOptions } from '../fingerprint/fingerprint-item.js';
import type { FingerprintKeys } from '../fingerprint/keys.js';
import type { ItemFingerprint } from '../fingerprint/types.js';

export interface FileFingerprints {
  items: ItemFingerprint[];
  failures: ExtractFailure[];
}

/**
 * One file on disk → fingerprints of it and of every archive member inside it. A member that
 * cannot be read becomes a failure next to the others' fingerprints; nothing here throws for
 * bad input, only for an abort.
 */
export async function fingerprintFile(
  absPath: string,
  displayPath: string,
  keys: FingerprintKeys,
  options: ExtractOptions & FingerprintOptions = {},
): Promise<FileFingerprints> {
  const items: ItemFingerprint[] = [];
  const failures: ExtractFailure[] = [];
  try {
    for await (const x of extractFile(absPath, displayPath, options)) {
      if ('sha256' in x) {
        try {
          items.push(fingerprintItem(x, keys, options));
        } catch (err) {
          failures.push({ path: x.path, code: errorCode(err), message: errorMessage(err) });
        }
      } else failures.push(x);
    }
  } catch (err) {
    if (isAbort(err)) throw err;
    failures.push({ path: displayPath, code: errorCode(err), message: errorMessage(err) });
  }
  return { items, failures };
}
