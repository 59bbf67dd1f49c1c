import { createPublicKey, type KeyObject } from 'node:crypto';
import { WARCParser } from 'warcio';
import { indexWarc } from './cdxj.js';
import { CAPTURE_SCHEMA, MATCH_SCHEMA, type CaptureJson, type MatchJson } from './capture-json.js';
import type { Problem, Severity } from './custody-verify.js';
import { CONTENT_PATHS, PATHS, type Datapackage, type DatapackageDigest } from './datapackage.js';
import { HEX64, sha256Hex } from './digest.js';
import { spkiFingerprint } from './key-store.js';
import { onionIdentity } from './onion-key.js';
import type { ZipEntryData } from './package-reader.js';
import { verifyPackageHash } from './package-signature.js';
import { CAPTURE_METADATA_URI } from './warc-build.js';

/**
 * Offline verification of one package's contents (pure: the caller reads the zip). Checks, in
 * order: zip structure, every file against datapackage.json, datapackage.json against the
 * signed digest, the signature (and the signer against a pinned key), then capture.json and
 * match.json against the WARC itself. All problems are collected.
 */

export interface PackageVerification {
  ok: boolean;
  captureId?: string;
  /** `sha256:<hex>` of datapackage.json. */
  datapackageHash?: string;
  signature: { valid: boolean; keyFingerprint?: string; pinned: boolean; signatureBytes?: Buffer };
  files: { path: string; sha256: string; bytes: number; listed: boolean; hashMatches: boolean | null }[];
  problems: Problem[];
}

interface WarcRecordInfo {
  type: string;
  uri: string;
  id: string;
  payload: Buffer;
  status?: number;
}

function parseJson<T>(data: Buffer | undefined): T | undefined {
  if (!data) return undefined;
  try {
    return JSON.parse(data.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

async function readWarc(warc: Buffer, add: (s: Severity, c: string, m: string) => void): Promise<WarcRecordInfo[]> {
  const out: WarcRecordInfo[] = [];
  async function* source(): AsyncGenerator<Uint8Array> {
    yield warc;
  }
  try {
    // parseHttp off: the raw block is what WARC-Block-Digest covers.
    for await (const record of new WARCParser(source(), { parseHttp: false })) {
      const block = Buffer.from(await record.readFully(false));
      const type = record.warcType;
      const uri = record.warcTargetURI ?? '';
      const id = record.warcHeader('WARC-Record-ID') ?? '';
      const blockDigest = record.warcBlockDigest;
      // warcio writes digests on every record but warcinfo; where present they must match.
      if (blockDigest ? blockDigest !== `sha256:${sha256Hex(block)}` : type !== 'warcinfo') {
        add('error', 'warc-digest', `WARC record ${id} (${type} ${uri}): block digest ${blockDigest ? 'wrong' : 'missing'}`);
      }
      let payload = block;
      let status: number | undefined;
      if (type === 'response' || type === 'request') {
        const cut = block.indexOf('\r\n\r\n');
        payload = cut < 0 ? Buffer.alloc(0) : block.subarray(cut + 4);
        const m = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(block.subarray(0, 64).toString('latin1'));
        if (m) status = Number(m[1]);
      }
      const payloadDigest = record.warcPayloadDigest;
      if (payloadDigest && payloadDigest !== `sha256:${sha256Hex(payload)}`) add('error', 'warc-digest', `WARC record ${id} (${type} ${uri}): payload digest wrong`);
      out.push({ type, uri, id, payload, ...(status !== undefined ? { status } : {}) });
    }
  } catch (err) {
    add('error', 'warc-parse', `the WARC cannot be parsed: ${(err as Error).message}`);
  }
  return out;
}

const MATCH_KEYS = ['document', 'documentSha256', 'method', 'sampleBytes', 'sampleSha256', 'sampleUrl', 'score', 'set'].join(',');

export async function verifyPackageEntries(entries: ZipEntryData[], opts: { trustedKey?: KeyObject } = {}): Promise<PackageVerification> {
  const problems: Problem[] = [];
  const add = (severity: Severity, check: string, message: string): void => {
    problems.push({ severity, check, message });
  };
  const byName = new Map<string, Buffer>();
  for (const e of entries) {
    if (byName.has(e.name)) add('error', 'zip-duplicate', `${e.name} appears more than once in the zip`);
    else byName.set(e.name, e.data);
    if (e.compressionMethod !== 0 && !e.name.endsWith('/')) add('warning', 'zip-compressed', `${e.name} is compressed (WACZ readers expect STORED entries)`);
  }
  const result: PackageVerification = { ok: false, signature: { valid: false, pinned: false }, files: [], problems };

  // 1. Every file against datapackage.json.
  const dpBytes = byName.get(PATHS.datapackage);
  const dp = parseJson<Datapackage>(dpBytes);
  if (!dpBytes) add('error', 'file-missing', `${PATHS.datapackage} is missing`);
  else if (!dp || !Array.isArray(dp.resources)) add('error', 'datapackage', `${PATHS.datapackage} is not a valid data package`);
  const listed = new Map<string, { hash: string; bytes: number }>();
  for (const r of dp?.resources ?? []) {
    if (typeof r?.path !== 'string') continue;
    if (listed.has(r.path)) add('error', 'datapackage', `${r.path} is listed twice in ${PATHS.datapackage}`);
    listed.set(r.path, { hash: String(r.hash), bytes: Number(r.bytes) });
  }
  for (const [path, meta] of listed) {
    const data = byName.get(path);
    if (!data) {
      add('error', 'file-missing', `${path} is listed in ${PATHS.datapackage} but missing from the package`);
      continue;
    }
    const actual = sha256Hex(data);
    const matches = meta.hash === `sha256:${actual}`;
    if (!matches) add('error', 'file-hash', `${path}: SHA-256 ${actual} does not match ${PATHS.datapackage} (${meta.hash}) — the file was changed`);
    if (meta.bytes !== data.length) add('error', 'file-size', `${path}: ${data.length} bytes, ${PATHS.datapackage} says ${meta.bytes}`);
    result.files.push({ path, sha256: actual, bytes: data.length, listed: true, hashMatches: matches });
  }
  for (const [name, data] of byName) {
    if (listed.has(name) || name === PATHS.datapackage || name === PATHS.digest) continue;
    add('error', 'file-unlisted', `${name} is in the package but not in ${PATHS.datapackage} — a file was added`);
    result.files.push({ path: name, sha256: sha256Hex(data), bytes: data.length, listed: false, hashMatches: null });
  }
  if (dp) for (const p of CONTENT_PATHS) if (!listed.has(p)) add('error', 'file-missing', `${p} is not listed in ${PATHS.datapackage}`);

  // 2. datapackage.json against the signed digest, and the signature.
  const digestBytes = byName.get(PATHS.digest);
  const digest = parseJson<DatapackageDigest>(digestBytes);
  if (!digestBytes) add('error', 'signature', `${PATHS.digest} is missing: the package is unsigned`);
  else if (!digest?.signedData) add('error', 'signature', `${PATHS.digest} holds no signedData`);
  if (dpBytes && digest) {
    const dpHash = `sha256:${sha256Hex(dpBytes)}`;
    result.datapackageHash = dpHash;
    if (digest.path !== PATHS.datapackage || digest.hash !== dpHash) add('error', 'datapackage-hash', `${PATHS.datapackage} does not match the hash in ${PATHS.digest} — it was changed`);
    const sd = digest.signedData;
    if (sd) {
      if (sd.hash !== digest.hash) add('error', 'signature', `signedData.hash differs from the digest's hash`);
      let spki: Buffer | undefined;
      try {
        spki = Buffer.from(sd.publicKey, 'base64');
        result.signature.keyFingerprint = spkiFingerprint(createPublicKey({ key: spki, format: 'der', type: 'spki' }));
      } catch {
        add('error', 'signature', 'signedData.publicKey is not a public key');
      }
      const sig = Buffer.from(String(sd.signature), 'base64');
      result.signature.signatureBytes = sig;
      if (spki && (await verifyPackageHash(sd.hash, sig, spki))) {
        result.signature.valid = sd.hash === dpHash;
      } else {
        add('error', 'signature', 'the ECDSA P-384 signature over the datapackage hash does not verify');
      }
      if (opts.trustedKey && result.signature.keyFingerprint) {
        result.signature.pinned = result.signature.keyFingerprint === spkiFingerprint(opts.trustedKey);
        if (!result.signature.pinned) add('error', 'signer-key', `signed by key ${result.signature.keyFingerprint}, not the trusted package-signing key ${spkiFingerprint(opts.trustedKey)}`);
      } else if (result.signature.keyFingerprint) {
        add('warning', 'signer-unpinned', `signer key ${result.signature.keyFingerprint} not checked against a trusted key (pass --keys)`);
      }
    }
  }

  // 3. capture.json / match.json / pages / index against the WARC.
  const warc = byName.get(PATHS.warc);
  const capture = parseJson<CaptureJson>(byName.get(PATHS.capture));
  const match = parseJson<MatchJson>(byName.get(PATHS.match));
  if (byName.has(PATHS.capture) && capture?.schema !== CAPTURE_SCHEMA) add('error', 'capture-json', `${PATHS.capture} is not a ${CAPTURE_SCHEMA} document`);
  if (capture) result.captureId = capture.captureId;
  if (warc && capture) {
    try {
      await checkAgainstWarc(warc, capture, byName, dp, add);
    } catch (err) {
      // A hostile capture.json (wrong types) must be reported as a problem, not crash the verifier.
      add('error', 'capture-json', `${PATHS.capture} is malformed: ${(err as Error).message}`);
    }
  }
  if (byName.has(PATHS.match)) {
    if (match?.schema !== MATCH_SCHEMA || !Array.isArray(match.matches)) add('error', 'match-json', `${PATHS.match} is not a ${MATCH_SCHEMA} document`);
    else {
      if (capture && match.captureId !== capture.captureId) add('error', 'match-json', `${PATHS.match} is for capture ${match.captureId}, capture.json for ${capture.captureId}`);
      match.matches.forEach((m, i) => {
        if (typeof m !== 'object' || m === null) {
          add('error', 'match-json', `match ${i + 1} is not an object`);
          return;
        }
        // Hashes only: any field beyond the fixed list could carry sample content.
        if (Object.keys(m).sort().join(',') !== MATCH_KEYS) add('error', 'match-json', `match ${i + 1} has fields other than ${MATCH_KEYS}`);
        if (!HEX64.test(String(m.sampleSha256)) || !HEX64.test(String(m.documentSha256))) add('error', 'match-json', `match ${i + 1}: hashes are not SHA-256 hex`);
      });
    }
  }

  result.ok = !problems.some((p) => p.severity === 'error');
  return result;
}

/** capture.json, pages.jsonl and the index against the WARC records themselves. */
async function checkAgainstWarc(
  warc: Buffer,
  capture: CaptureJson,
  byName: Map<string, Buffer>,
  dp: Datapackage | undefined,
  add: (s: Severity, c: string, m: string) => void,
): Promise<void> {
  const records = await readWarc(warc, add);
  if (records[0]?.type !== 'warcinfo') add('error', 'warc-structure', 'the WARC does not start with a warcinfo record');
  const meta = records.find((r) => r.type === 'metadata' && r.uri === CAPTURE_METADATA_URI(capture.captureId));
  if (!meta) add('error', 'capture-json-warc', `the WARC has no metadata record for capture ${capture.captureId}`);
  else if (!meta.payload.equals(byName.get(PATHS.capture) as Buffer)) add('error', 'capture-json-warc', `${PATHS.capture} differs from the copy in the WARC's metadata record`);
  const byId = new Map(records.map((r) => [r.id, r]));
  for (const a of capture.artifacts ?? []) {
    const r = byId.get(a.recordId);
    if (!r || r.uri !== a.uri || r.type !== a.warcType) add('error', 'artifact', `artifact ${a.role} (${a.uri}) has no matching ${a.warcType} record in the WARC`);
    else if (sha256Hex(r.payload) !== a.sha256 || r.payload.length !== a.bytes) add('error', 'artifact', `artifact ${a.role} (${a.uri}): WARC payload does not match capture.json's SHA-256/size`);
  }
  const page = (capture.artifacts ?? []).find((a) => a.role === 'page');
  const pageRecord = page ? byId.get(page.recordId) : undefined;
  if (!page || !pageRecord) add('error', 'artifact', 'capture.json names no page response found in the WARC');
  else {
    if (pageRecord.uri !== capture.finalUrl) add('error', 'capture-json', `page record URL ${pageRecord.uri} is not capture.json's finalUrl`);
    if (pageRecord.status !== capture.http?.status) add('error', 'capture-json', `HTTP status ${String(pageRecord.status)} in the WARC, ${String(capture.http?.status)} in capture.json`);
    if (sha256Hex(pageRecord.payload) !== capture.http?.bodySha256) add('error', 'capture-json', 'capture.json http.bodySha256 does not match the archived page body');
  }
  const onion = onionIdentity(capture.finalUrl) ?? null;
  if (JSON.stringify(onion) !== JSON.stringify(capture.onion ?? null)) add('error', 'capture-json', 'capture.json onion identity does not match the key decoded from finalUrl');
  const index = byName.get(PATHS.index);
  if (index && index.toString('utf8') !== (await indexWarc(warc))) add('error', 'index', `${PATHS.index} does not match an index of the WARC`);
  const pageLine = byName.get(PATHS.pages)?.toString('utf8').split('\n')[1];
  const pageEntry = parseJson<{ url?: string; id?: string }>(pageLine ? Buffer.from(pageLine) : undefined);
  if (byName.has(PATHS.pages) && (pageEntry?.url !== capture.finalUrl || pageEntry.id !== capture.captureId)) add('error', 'pages', `${PATHS.pages} does not name the captured page`);
  if (dp?.extras?.captureId !== undefined && dp.extras.captureId !== capture.captureId) add('error', 'capture-json', `${PATHS.datapackage} extras name capture ${dp.extras.captureId}`);
}
