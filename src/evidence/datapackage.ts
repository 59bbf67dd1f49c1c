import { sha256Hex } from './digest.js';
import type { PackageFile, PackageSignature } from './types.js';

/**
 * WACZ 1.1.1 metadata: `datapackage.json` lists every other file with its SHA-256 and size
 * (computed once over the file's bytes — js-wacz's double hash is the bug we avoid), and
 * `datapackage-digest.json` carries the signature over datapackage.json's hash.
 */

export const WACZ_VERSION = '1.1.1';
export const PATHS = {
  warc: 'archive/capture.warc.gz',
  index: 'indexes/index.cdxj',
  pages: 'pages/pages.jsonl',
  capture: 'evidence/capture.json',
  match: 'evidence/match.json',
  datapackage: 'datapackage.json',
  digest: 'datapackage-digest.json',
} as const;

/** Files covered by datapackage.json, in package order. */
export const CONTENT_PATHS = [PATHS.warc, PATHS.index, PATHS.pages, PATHS.capture, PATHS.match] as const;

export interface PageEntry {
  id: string;
  url: string;
  ts: string;
  title: string;
}

export function buildPagesJsonl(page: PageEntry): Buffer {
  const header = { format: 'json-pages-1.0', id: 'pages', title: 'All Pages' };
  return Buffer.from(`${JSON.stringify(header)}\n${JSON.stringify({ id: page.id, url: page.url, ts: page.ts, title: page.title })}\n`, 'utf8');
}

export interface DatapackageResource {
  name: string;
  path: string;
  hash: string;
  bytes: number;
}

export interface Datapackage {
  profile: 'data-package';
  wacz_version: string;
  title: string;
  created: string;
  modified: string;
  software: string;
  mainPageUrl: string;
  mainPageDate: string;
  resources: DatapackageResource[];
  extras: { captureId: string; caseId: string | null; injunctionRef: string | null };
}

export function describeFile(path: string, bytes: Uint8Array): PackageFile {
  return { path, sha256: sha256Hex(bytes), bytes: bytes.length };
}

export function buildDatapackage(
  files: PackageFile[],
  meta: { created: string; software: string; title: string; mainPageUrl: string; mainPageDate: string; extras: Datapackage['extras'] },
): Datapackage {
  return {
    profile: 'data-package',
    wacz_version: WACZ_VERSION,
    title: meta.title,
    created: meta.created,
    modified: meta.created,
    software: meta.software,
    mainPageUrl: meta.mainPageUrl,
    mainPageDate: meta.mainPageDate,
    resources: files.map((f) => ({ name: f.path.slice(f.path.lastIndexOf('/') + 1), path: f.path, hash: `sha256:${f.sha256}`, bytes: f.bytes })),
    extras: meta.extras,
  };
}

export interface DatapackageDigest {
  path: 'datapackage.json';
  hash: string;
  signedData: { hash: string; signature: string; publicKey: string; created: string; software: string };
}

export function buildDigest(sig: PackageSignature, software: string): DatapackageDigest {
  return {
    path: 'datapackage.json',
    hash: sig.hash,
    signedData: { hash: sig.hash, signature: sig.signature, publicKey: sig.publicKey, created: sig.created, software },
  };
}
