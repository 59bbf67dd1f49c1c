import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { throwIfAborted } from '../errors.js';
import { writeFileAtomic } from './atomic-file.js';
import type { CustodyEntry } from './custody-entry.js';
import type { CustodyLog } from './custody-log.js';
import { sha256Hex } from './digest.js';
import { buildEvidencePackage, type BuildOptions } from './package-build.js';
import { createTimestampRequest } from './timestamp-request.js';
import type { Capture, EvidencePackage, MatchRecord } from './types.js';

/**
 * Writes `<outDir>/capture-<id>.wacz` (never replacing an existing package) and the RFC 3161
 * request `<package>.tsq` beside it, then, when a custody log is given, records the capture.
 */

export interface WritePackageOptions extends BuildOptions {
  outDir: string;
  /** Record a `capture` entry for the package (subject: its SHA-256). */
  custodyLog?: CustodyLog;
  /** Who the custody entry names; default the capture's operator, else the tool name. */
  actor?: string;
  signal?: AbortSignal;
}

export interface WrittenPackage extends EvidencePackage {
  custodyEntry?: CustodyEntry;
}

export function packageFileName(captureId: string): string {
  return `capture-${captureId}.wacz`;
}

export async function writeEvidencePackage(capture: Capture, matches: MatchRecord[], opts: WritePackageOptions): Promise<WrittenPackage> {
  const built = await buildEvidencePackage(capture, matches, opts);
  throwIfAborted(opts.signal);
  mkdirSync(opts.outDir, { recursive: true });
  const path = join(opts.outDir, packageFileName(capture.captureId));
  writeFileAtomic(path, built.zip, { overwrite: false });
  const tsqPath = `${path}.tsq`;
  writeFileAtomic(tsqPath, createTimestampRequest(built.signatureBytes).der, { overwrite: false });
  const sha256 = sha256Hex(built.zip);
  const result: WrittenPackage = { path, sha256, bytes: built.zip.length, files: built.files, signature: built.signature, timestampRequestPath: tsqPath };
  if (opts.custodyLog) {
    result.custodyEntry = await opts.custodyLog.append(
      {
        type: 'capture',
        subject: sha256,
        actor: opts.actor ?? capture.operator ?? capture.tool.name,
        details: {
          captureId: capture.captureId,
          caseId: capture.caseId ?? null,
          package: basename(path),
          bytes: built.zip.length,
          datapackageHash: built.signature.hash,
          keyFingerprint: built.signature.keyFingerprint,
          matches: matches.length,
        },
      },
      opts.signal ? { signal: opts.signal } : {},
    );
  }
  return result;
}
