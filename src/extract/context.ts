/**
 * State shared by one extraction run over one top-level input: resolved limits, the abort
 * signal, the temp space for spilled members and the byte/entry budget that every nesting
 * level of an archive draws from (so a zip of zips cannot multiply the caps).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LimitError, errorCode, errorMessage } from '../errors.js';
import {
  DEFAULT_LIMITS,
  type ExtractFailure,
  type ExtractLimits,
  type ExtractOptions,
  type ExtractedItem,
} from './types.js';

/** What extraction yields: items, and failures for inputs or members that could not be read. */
export type ExtractOutput = ExtractedItem | ExtractFailure;

/** Type guard: a failure rather than an item. */
export function isFailure(x: ExtractOutput): x is ExtractFailure {
  return 'code' in x && !('sha256' in x);
}

/** Uncompressed/compressed ratios are only judged past this many output bytes: tiny members
 * of repetitive text legitimately compress 300:1 and prove nothing. */
export const RATIO_GRACE_BYTES = 1024 * 1024;

/** Members up to this size stay in memory; larger ones spill to a temp file. */
export const MEMORY_MEMBER_BYTES = 8 * 1024 * 1024;

export interface ArchiveBudget {
  /** Display path of the top-level archive, for messages. */
  root: string;
  /** Uncompressed bytes read so far, all nesting levels together. */
  bytes: number;
  /** Entries seen so far, all nesting levels together. */
  entries: number;
  /** Set when a cap is hit: every level stops reading. */
  exhausted: boolean;
  /** Whether the failure for the exhausted cap has been reported (report it once, not per level). */
  reported: boolean;
}

/**
 * Spill files for large members. The directory is made with mkdtemp (inside the caller's
 * tempDir when given, so concurrent runs sharing it never collide) and files are named by a
 * counter, never by a member name, so hostile names cannot point anywhere.
 */
export class TempSpace {
  private dir: string | undefined;
  private counter = 0;

  constructor(private readonly parent: string) {}

  async newFile(): Promise<string> {
    this.dir ??= await mkdtemp(join(this.parent, 'leakwatch-extract-'));
    this.counter += 1;
    return join(this.dir, `member-${this.counter}.bin`);
  }

  async dispose(): Promise<void> {
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}

export interface ExtractContext {
  limits: ExtractLimits;
  signal: AbortSignal | undefined;
  temp: TempSpace;
  /** Present while inside an archive: the budget of the top-level archive. */
  budget: ArchiveBudget | undefined;
  /** Keep images for OCR (ExtractOptions.ocr). */
  ocr: boolean;
}

export function resolveLimits(partial: Partial<ExtractLimits> | undefined): ExtractLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const [k, v] of Object.entries(partial ?? {})) {
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) (limits as Record<string, number>)[k] = v;
  }
  return limits;
}

export function makeContext(options: ExtractOptions = {}): ExtractContext {
  return {
    limits: resolveLimits(options.limits),
    signal: options.signal,
    temp: new TempSpace(options.tempDir ?? tmpdir()),
    budget: undefined,
    ocr: options.ocr ?? false,
  };
}

export function newBudget(root: string): ArchiveBudget {
  return { root, bytes: 0, entries: 0, exhausted: false, reported: false };
}

/** Adds `n` uncompressed bytes to the archive budget; throws LimitError past the cap. */
export function chargeBytes(ctx: ExtractContext, n: number, input: string): void {
  const b = ctx.budget;
  if (!b) return;
  b.bytes += n;
  if (b.bytes > ctx.limits.maxArchiveTotalBytes) {
    b.exhausted = true;
    throw new LimitError(
      'E_ARCHIVE_LIMIT',
      `archive ${b.root} expands to more than ${formatBytes(ctx.limits.maxArchiveTotalBytes)} in total ` +
        '(maxArchiveTotalBytes); remaining members skipped',
      { input },
    );
  }
}

/** Counts one archive entry; throws LimitError past maxArchiveEntries. */
export function chargeEntry(ctx: ExtractContext, input: string): void {
  const b = ctx.budget;
  if (!b) return;
  b.entries += 1;
  if (b.entries > ctx.limits.maxArchiveEntries) {
    b.exhausted = true;
    throw new LimitError(
      'E_ARCHIVE_LIMIT',
      `archive ${b.root} has more than ${ctx.limits.maxArchiveEntries} entries in total (maxArchiveEntries); ` +
        'remaining members skipped',
      { input },
    );
  }
}

/** Throws LimitError when `out` bytes from `compressed` bytes exceed maxCompressionRatio. */
export function checkRatio(ctx: ExtractContext, out: number, compressed: number, input: string): void {
  if (out <= RATIO_GRACE_BYTES) return;
  const ratio = out / Math.max(compressed, 1);
  if (ratio > ctx.limits.maxCompressionRatio) {
    throw new LimitError(
      'E_ARCHIVE_LIMIT',
      `compression ratio above ${ctx.limits.maxCompressionRatio}:1 (${formatBytes(out)} from ` +
        `${formatBytes(compressed)} so far); looks like a decompression bomb`,
      { input },
    );
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** An ExtractFailure for `path` from any thrown value; the message always names the path. */
export function toFailure(path: string, err: unknown): ExtractFailure {
  let message = errorMessage(err);
  if (!message.includes(path)) message = `${path}: ${message}`;
  return { path, code: errorCode(err), message };
}

/**
 * Failure for a member, or undefined when it only repeats an exhausted archive budget that
 * was already reported (every nesting level stops on it; one report is enough).
 */
export function failureOnce(ctx: ExtractContext, path: string, err: unknown): ExtractFailure | undefined {
  const b = ctx.budget;
  if (err instanceof LimitError && b?.exhausted) {
    if (b.reported) return undefined;
    b.reported = true;
  }
  return toFailure(path, err);
}
