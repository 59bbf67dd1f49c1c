import yauzl from 'yauzl';
import { InputError, LimitError } from '../errors.js';

/**
 * Reads a package zip for verification, with caps (a hostile "package" must not exhaust
 * memory). Duplicate names are kept and reported: a zip with two entries of the same name
 * shows different content to different readers, a known way to smuggle a file past a check.
 */

export interface ZipEntryData {
  name: string;
  data: Buffer;
  /** 0 = STORED, 8 = DEFLATE. */
  compressionMethod: number;
}

export interface PackageLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
}

export const DEFAULT_PACKAGE_LIMITS: PackageLimits = { maxEntries: 1000, maxEntryBytes: 2 * 1024 ** 3 - 1, maxTotalBytes: 4 * 1024 ** 3 };

export function readPackageEntries(path: string, limits: PackageLimits = DEFAULT_PACKAGE_LIMITS): Promise<ZipEntryData[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true, strictFileNames: false, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) {
        reject(new InputError('E_CORRUPT_FILE', `not a readable zip: ${err?.message ?? 'unknown error'}`, { input: path, cause: err }));
        return;
      }
      const out: ZipEntryData[] = [];
      let total = 0;
      const fail = (e: Error): void => {
        zip.close();
        reject(e);
      };
      zip.on('error', (e: Error) => reject(new InputError('E_CORRUPT_FILE', `damaged zip: ${e.message}`, { input: path, cause: e })));
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (out.length >= limits.maxEntries) return fail(new LimitError('E_ARCHIVE_LIMIT', `more than ${limits.maxEntries} entries`, { input: path }));
        if (entry.uncompressedSize > limits.maxEntryBytes) return fail(new LimitError('E_TOO_LARGE', `${entry.fileName} is ${entry.uncompressedSize} bytes`, { input: path }));
        total += entry.uncompressedSize;
        if (total > limits.maxTotalBytes) return fail(new LimitError('E_TOO_LARGE', 'package contents exceed the size limit', { input: path }));
        if (entry.fileName.endsWith('/')) {
          out.push({ name: entry.fileName, data: Buffer.alloc(0), compressionMethod: entry.compressionMethod });
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return fail(new InputError('E_CORRUPT_FILE', `cannot read ${entry.fileName}: ${e?.message ?? ''}`, { input: path, cause: e }));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', (se: Error) => fail(new InputError('E_CORRUPT_FILE', `cannot read ${entry.fileName}: ${se.message}`, { input: path, cause: se })));
          stream.on('end', () => {
            out.push({ name: entry.fileName, data: Buffer.concat(chunks), compressionMethod: entry.compressionMethod });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** `value` when it is a plain JSON object, else an empty one (for reading untrusted JSON). */
export function jsonObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * A package member parsed as a JSON object; {} when it is missing or not JSON. For display
 * only: whether the package is intact is the verifier's call, not this reader's.
 */
export function jsonEntry(entries: readonly ZipEntryData[], name: string): Record<string, unknown> {
  const e = entries.find((x) => x.name === name);
  if (!e) return {};
  try {
    return jsonObject(JSON.parse(e.data.toString('utf8')));
  } catch {
    return {};
  }
}
