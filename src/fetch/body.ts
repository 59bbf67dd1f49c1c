import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type http from 'node:http';
import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { LeakwatchError } from '../errors.js';
import type { Deadline } from './deadline.js';
import { ResponseTooLargeError } from './fetch-errors.js';
import { mapNetworkError } from './http-exchange.js';

/**
 * Response bodies, with the byte cap enforced while reading (never after) and the idle
 * deadline re-armed on every chunk. Pages are decoded (gzip/deflate/br) with the cap on the
 * *decoded* size, so a compression bomb stops at maxBytes; samples are written as served.
 */

function tooLarge(maxBytes: number, input: string, what = 'response'): ResponseTooLargeError {
  return new ResponseTooLargeError('E_TOO_LARGE', `${what} exceeds the cap of ${maxBytes} bytes`, { input });
}

/** Refuses early when the server announces more than the cap. */
export function checkDeclaredLength(res: http.IncomingMessage, maxBytes: number, input: string): void {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes && !res.headers['content-encoding']) throw tooLarge(maxBytes, input);
}

function decoderFor(encoding: string | undefined): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

/** Turns an iteration failure into the deadline's error when a deadline fired. */
function settleError(err: unknown, deadline: Deadline, input: string): LeakwatchError {
  if (deadline.aborted) return deadline.error();
  return mapNetworkError(err, input);
}

/** Reads a page body into memory, decoded, at most maxBytes (decoded) and maxBytes·4 (wire). */
export async function readBody(res: http.IncomingMessage, maxBytes: number, deadline: Deadline, input: string): Promise<Buffer> {
  checkDeclaredLength(res, maxBytes, input);
  const decoder = decoderFor(res.headers['content-encoding']);
  let source: Readable = res;
  let wireBytes = 0;
  // Wire bytes are counted too: a decoder fed junk can swallow input without output.
  const wireCap = maxBytes * 4 + 65_536;
  if (decoder) {
    res.on('data', (chunk: Buffer) => {
      wireBytes += chunk.length;
      deadline.touch();
      if (wireBytes > wireCap) res.destroy(tooLarge(maxBytes, input, 'compressed response'));
    });
    source = pipeline(res, decoder, () => undefined);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      deadline.touch();
      total += chunk.length;
      if (total > maxBytes) throw tooLarge(maxBytes, input);
      chunks.push(chunk);
    }
  } catch (err) {
    res.destroy();
    if (err instanceof ResponseTooLargeError) throw err;
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof ResponseTooLargeError) throw cause;
    throw settleError(err, deadline, input);
  }
  if (deadline.aborted) throw deadline.error();
  return Buffer.concat(chunks, total);
}

export interface StreamedFile {
  bytes: number;
  sha256: string;
}

/**
 * Streams a sample to an open file: SHA-256 on the fly, cap checked before each write, one
 * chunk in memory at a time (awaiting each write is the backpressure), so RSS stays flat for
 * multi-gigabyte files.
 */
export async function streamToFile(
  res: http.IncomingMessage,
  file: FileHandle,
  maxBytes: number,
  deadline: Deadline,
  input: string,
): Promise<StreamedFile> {
  checkDeclaredLength(res, maxBytes, input);
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      deadline.touch();
      bytes += chunk.length;
      if (bytes > maxBytes) throw tooLarge(maxBytes, input, 'download');
      hash.update(chunk);
      await file.write(chunk);
    }
  } catch (err) {
    res.destroy();
    if (err instanceof ResponseTooLargeError) throw err;
    throw settleError(err, deadline, input);
  }
  if (deadline.aborted) throw deadline.error();
  return { bytes, sha256: hash.digest('hex') };
}
