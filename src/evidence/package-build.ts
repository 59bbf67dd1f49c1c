import { createPublicKey, type KeyObject } from 'node:crypto';
import { FatalError } from '../errors.js';
import { buildCaptureJson, buildMatchJson, checkCaptureInput, jsonBytes, pageTitle } from './capture-json.js';
import { indexWarc } from './cdxj.js';
import { buildDatapackage, buildDigest, buildPagesJsonl, describeFile, PATHS } from './datapackage.js';
import { sha256Hex } from './digest.js';
import { spkiFingerprint } from './key-store.js';
import { signPackageHash, spkiBase64 } from './package-signature.js';
import type { Capture, MatchRecord, PackageFile, PackageSignature } from './types.js';
import { planWarc, serializeWarc, withCaptureMetadata } from './warc-build.js';
import { buildZip } from './wacz-zip.js';

/**
 * Assembles a package in memory (no file I/O). Every file except datapackage-digest.json is a
 * pure function of (capture, matches, now); the digest holds an ECDSA signature, which uses a
 * fresh random nonce each time (WebCrypto offers no deterministic ECDSA), so a re-derived
 * package has the same datapackage.json hash and verifies the same, but its zip bytes differ
 * in those 96 signature bytes.
 */

export interface BuildOptions {
  /** ECDSA P-384 private key (`loadSigningKey(dir).privateKey`). */
  signingKey: KeyObject;
  now: Date;
  matcher?: { name: string; version: string };
}

export interface BuiltPackage {
  zip: Buffer;
  /** Content files and datapackage.json/-digest.json, with their SHA-256s. */
  files: PackageFile[];
  signature: PackageSignature;
  /** Raw signature bytes: what the RFC 3161 request time-stamps. */
  signatureBytes: Buffer;
}

export const EVIDENCE_FORMAT_VERSION = '1';

export async function buildEvidencePackage(capture: Capture, matches: MatchRecord[], opts: BuildOptions): Promise<BuiltPackage> {
  checkCaptureInput(capture, matches);
  const key = opts.signingKey;
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'secp384r1') {
    throw new FatalError('E_KEY_MISSING', 'packages are signed with the ECDSA P-384 package-signing private key');
  }
  const software = `${capture.tool.name} ${capture.tool.version}`;
  const created = opts.now.toISOString();

  const plan = planWarc(capture, EVIDENCE_FORMAT_VERSION);
  const captureJson = jsonBytes(buildCaptureJson(capture, plan.artifacts, opts.now));
  const warc = await serializeWarc(withCaptureMetadata(plan, capture.captureId, captureJson, capture.finishedAt));
  const index = Buffer.from(await indexWarc(warc), 'utf8');
  const pages = buildPagesJsonl({ id: capture.captureId, url: capture.finalUrl, ts: capture.startedAt.toISOString(), title: pageTitle(capture) });
  const matchJson = jsonBytes(buildMatchJson(capture.captureId, matches, opts.matcher ?? { name: capture.tool.name, version: capture.tool.version }));

  const content = [
    { path: PATHS.warc, data: warc },
    { path: PATHS.index, data: index },
    { path: PATHS.pages, data: pages },
    { path: PATHS.capture, data: captureJson },
    { path: PATHS.match, data: matchJson },
  ];
  const contentFiles = content.map((f) => describeFile(f.path, f.data));
  const datapackage = jsonBytes(
    buildDatapackage(contentFiles, {
      created,
      software,
      title: `leakwatch capture ${capture.captureId}`,
      mainPageUrl: capture.finalUrl,
      mainPageDate: capture.startedAt.toISOString(),
      extras: { captureId: capture.captureId, caseId: capture.caseId ?? null, injunctionRef: capture.injunctionRef ?? null },
    }),
  );
  const hash = `sha256:${sha256Hex(datapackage)}`;
  const signatureBytes = await signPackageHash(hash, key);
  const publicKey = createPublicKey(key);
  const signature: PackageSignature = {
    hash,
    signature: signatureBytes.toString('base64'),
    publicKey: spkiBase64(publicKey),
    keyFingerprint: spkiFingerprint(publicKey),
    created,
  };
  const digest = jsonBytes(buildDigest(signature, software));

  const all = [...content, { path: PATHS.datapackage, data: datapackage }, { path: PATHS.digest, data: digest }];
  return {
    zip: await buildZip(all),
    files: [...contentFiles, describeFile(PATHS.datapackage, datapackage), describeFile(PATHS.digest, digest)],
    signature,
    signatureBytes,
  };
}
