import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FatalError } from '../errors.js';
import { verifyCustodyLog, type LogVerification, type Problem } from './custody-verify.js';
import { headPathFor } from './custody-log.js';
import { sha256File } from './digest.js';
import { loadPublicKeys, type PublicKeys } from './key-store.js';
import { readPackageEntries } from './package-reader.js';
import { verifyPackageEntries, type PackageVerification } from './package-verify.js';
import { verifyTimestampReply, type TimestampVerification } from './timestamp-reply.js';

/**
 * `leakwatch evidence verify`: reads the package, log, head, external checkpoints, public keys
 * and timestamp files, and runs the pure verifiers over them. Offline: nothing is fetched.
 */

export interface VerifyEvidenceOptions {
  packagePath?: string;
  logPath?: string;
  /** Folder with package-signing.pub.pem / custody-log.pub.pem (or the key folder itself). */
  keysDir?: string;
  /** Signed head of the log; default `<log>.head`. */
  headPath?: string;
  /** Folder of checkpoint notes kept apart from the log (`checkpoint-<size>.note`). */
  checkpointsDir?: string;
  /** PEM of the pinned TSA certificate (or its CA). */
  tsaCertPath?: string;
}

export type ScopedProblem = Problem & { scope: 'package' | 'log' | 'timestamp' };

export interface TimestampReport {
  subject: string;
  status: 'verified' | 'invalid' | 'pending' | 'none';
  genTime?: string;
  tsa?: string;
  pinned?: boolean;
}

export interface EvidenceVerification {
  ok: boolean;
  package?: {
    path: string;
    sha256: string;
    bytes: number;
    captureId?: string;
    datapackageHash?: string;
    signer: { keyFingerprint?: string; valid: boolean; pinned: boolean };
    files: PackageVerification['files'];
  };
  log?: Omit<LogVerification, 'problems'>;
  timestamps: TimestampReport[];
  problems: ScopedProblem[];
}

async function checkTimestamp(subject: string, data: Buffer | undefined, trustedPem: string | undefined, problems: ScopedProblem[]): Promise<TimestampReport> {
  const tsr = `${subject}.tsr`;
  const tsq = `${subject}.tsq`;
  if (!existsSync(tsr)) return { subject, status: existsSync(tsq) ? 'pending' : 'none' };
  if (!existsSync(tsq)) {
    problems.push({ scope: 'timestamp', severity: 'error', check: 'timestamp', message: `${tsr} has no request (${tsq}) beside it: its nonce cannot be checked` });
    return { subject, status: 'invalid' };
  }
  if (!data) return { subject, status: 'invalid' };
  const v: TimestampVerification = await verifyTimestampReply({ reply: readFileSync(tsr), request: readFileSync(tsq), data, ...(trustedPem ? { trustedPem } : {}) });
  for (const m of v.problems) problems.push({ scope: 'timestamp', severity: 'error', check: 'timestamp', message: `${tsr}: ${m}` });
  if (v.ok && !v.pinned) problems.push({ scope: 'timestamp', severity: 'warning', check: 'timestamp-unpinned', message: `${tsr}: TSA certificate not checked against a pinned certificate (pass --tsa-cert)` });
  return { subject, status: v.ok ? 'verified' : 'invalid', ...(v.genTime ? { genTime: v.genTime.toISOString() } : {}), ...(v.tsa ? { tsa: v.tsa } : {}), pinned: v.pinned };
}

export async function verifyEvidence(opts: VerifyEvidenceOptions): Promise<EvidenceVerification> {
  if (!opts.packagePath && !opts.logPath) throw new FatalError('E_USAGE', 'nothing to verify: give a package and/or --log');
  const keys: PublicKeys = opts.keysDir ? loadPublicKeys(opts.keysDir) : {};
  const trustedPem = opts.tsaCertPath ? readFileSync(opts.tsaCertPath, 'utf8') : undefined;
  const problems: ScopedProblem[] = [];
  const out: EvidenceVerification = { ok: false, timestamps: [], problems };

  let packageSha256: string | undefined;
  if (opts.packagePath) {
    const path = opts.packagePath;
    if (!existsSync(path)) throw new FatalError('E_INPUT_NOT_FOUND', `${path} does not exist`);
    const { sha256, bytes } = await sha256File(path);
    packageSha256 = sha256;
    let pv: PackageVerification;
    try {
      pv = await verifyPackageEntries(await readPackageEntries(path), keys.packageSigning ? { trustedKey: keys.packageSigning } : {});
    } catch (err) {
      problems.push({ scope: 'package', severity: 'error', check: 'zip', message: (err as Error).message });
      pv = { ok: false, signature: { valid: false, pinned: false }, files: [], problems: [] };
    }
    for (const p of pv.problems) problems.push({ ...p, scope: 'package' });
    out.package = {
      path,
      sha256,
      bytes,
      ...(pv.captureId ? { captureId: pv.captureId } : {}),
      ...(pv.datapackageHash ? { datapackageHash: pv.datapackageHash } : {}),
      signer: { ...(pv.signature.keyFingerprint ? { keyFingerprint: pv.signature.keyFingerprint } : {}), valid: pv.signature.valid, pinned: pv.signature.pinned },
      files: pv.files,
    };
    out.timestamps.push(await checkTimestamp(path, pv.signature.signatureBytes, trustedPem, problems));
  }

  if (opts.logPath) {
    if (!existsSync(opts.logPath)) throw new FatalError('E_INPUT_NOT_FOUND', `${opts.logPath} does not exist`);
    const headPath = opts.headPath ?? headPathFor(opts.logPath);
    const external: { source: string; text: string }[] = [];
    const notes: string[] = [];
    if (opts.checkpointsDir && existsSync(opts.checkpointsDir)) {
      for (const name of readdirSync(opts.checkpointsDir).sort()) {
        if (!name.endsWith('.note')) continue;
        const p = join(opts.checkpointsDir, name);
        notes.push(p);
        external.push({ source: p, text: readFileSync(p, 'utf8') });
      }
    }
    const lv = verifyCustodyLog({
      text: readFileSync(opts.logPath, 'utf8'),
      ...(keys.custodyLog ? { publicKey: keys.custodyLog } : {}),
      head: existsSync(headPath) ? readFileSync(headPath, 'utf8') : null,
      externalCheckpoints: external,
      ...(packageSha256 ? { packageSha256 } : {}),
    });
    const { problems: logProblems, ...rest } = lv;
    for (const p of logProblems) problems.push({ ...p, scope: 'log' });
    out.log = rest;
    for (const note of notes) {
      const report = await checkTimestamp(note, readFileSync(note), trustedPem, problems);
      if (report.status !== 'none') out.timestamps.push(report);
    }
  }
  out.ok = !problems.some((p) => p.severity === 'error');
  return out;
}
