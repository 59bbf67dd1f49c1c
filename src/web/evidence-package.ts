import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { WARCParser } from 'warcio';
import { PATHS } from '../evidence/datapackage.js';
import { sha256Hex } from '../evidence/digest.js';
import { evidencePaths, type CustodyEntry } from '../evidence/index.js';
import { jsonEntry, jsonObject as record, readPackageEntries, type ZipEntryData } from '../evidence/package-reader.js';

/**
 * Reading one evidence package for the viewer: its capture.json and match.json, the files
 * datapackage.json lists, the screenshot and the captured page out of the WARC (each checked
 * against the SHA-256 capture.json records for it), and its custody-log entries. Package names
 * come from URLs, so only plain names of files that exist in the evidence folder are accepted.
 */

const PACKAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\.wacz$/;

export interface PackageFileInfo {
  name: string;
  bytes: number;
  modifiedAt: string;
}

export function listPackages(dataDir: string): PackageFileInfo[] {
  const dir = evidencePaths(dataDir).packages;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => PACKAGE_NAME.test(n))
    .map((name) => {
      const st = statSync(join(dir, name));
      return { name, bytes: st.size, modifiedAt: st.mtime.toISOString() };
    })
    .sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt) || a.name.localeCompare(b.name));
}

/** Absolute path of a package named in a URL, or undefined when the name is not one. */
export function packagePath(dataDir: string, name: string): string | undefined {
  if (!PACKAGE_NAME.test(name)) return undefined;
  const path = join(evidencePaths(dataDir).packages, name);
  return existsSync(path) && statSync(path).isFile() ? path : undefined;
}

export interface ArtifactInfo {
  role: string;
  uri: string;
  sha256: string;
  bytes: number;
  mime: string;
}

export interface PackageContents {
  entries: ZipEntryData[];
  capture: Record<string, unknown>;
  match: Record<string, unknown>;
  /** datapackage.json resources: path, hash, bytes. */
  resources: { path: string; hash: string; bytes: number }[];
  artifacts: ArtifactInfo[];
}

export async function readPackage(path: string): Promise<PackageContents> {
  const entries = await readPackageEntries(path);
  const capture = jsonEntry(entries, PATHS.capture);
  const dp = jsonEntry(entries, PATHS.datapackage);
  const resources = (Array.isArray(dp.resources) ? (dp.resources as unknown[]) : []).map(record).map((r) => ({
    path: String(r.path ?? ''),
    hash: String(r.hash ?? ''),
    bytes: typeof r.bytes === 'number' ? r.bytes : 0,
  }));
  const artifacts = (Array.isArray(capture.artifacts) ? (capture.artifacts as unknown[]) : []).map(record).map((a) => ({
    role: String(a.role ?? ''),
    uri: String(a.uri ?? ''),
    sha256: String(a.sha256 ?? ''),
    bytes: typeof a.bytes === 'number' ? a.bytes : 0,
    mime: String(a.mime ?? ''),
  }));
  return { entries, capture, match: jsonEntry(entries, PATHS.match), resources, artifacts };
}

/**
 * The payload of the WARC record behind an artifact (`screenshot`, `page`…), only when its
 * SHA-256 is the one capture.json records: a viewer must never show bytes the signed
 * record does not vouch for.
 */
export async function artifactPayload(contents: PackageContents, role: string): Promise<{ artifact: ArtifactInfo; bytes: Buffer } | undefined> {
  const artifact = contents.artifacts.find((a) => a.role === role);
  const warc = contents.entries.find((e) => e.name === PATHS.warc);
  if (!artifact || !warc) return undefined;
  // Each record is its own gzip member; gunzip reads the concatenation as one stream.
  const raw = gunzipSync(warc.data);
  async function* source(): AsyncGenerator<Uint8Array> {
    yield raw;
  }
  for await (const rec of new WARCParser(source(), { parseHttp: true })) {
    const type = rec.warcType;
    if (rec.warcTargetURI !== artifact.uri || (type !== 'response' && type !== 'resource')) {
      await rec.readFully(false);
      continue;
    }
    // With parseHttp, a response's HTTP head is consumed: what remains is the body.
    const bytes = Buffer.from(await rec.readFully(false));
    if (sha256Hex(bytes) === artifact.sha256) return { artifact, bytes };
  }
  return undefined;
}

/** Custody entries about a package: its capture, exports naming it, accesses to it. */
export function custodyEntriesFor(dataDir: string, fileName: string, sha256: string): CustodyEntry[] {
  const log = evidencePaths(dataDir).custodyLog;
  if (!existsSync(log)) return [];
  const out: CustodyEntry[] = [];
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    if (!line) continue;
    let e: CustodyEntry;
    try {
      e = JSON.parse(line) as CustodyEntry;
    } catch {
      continue;
    }
    const d = record(e.details);
    const packages = Array.isArray(d.packages) ? (d.packages as unknown[]) : [];
    if (e.subject === sha256 || d.package === fileName || d.file === fileName || packages.includes(sha256)) out.push(e);
  }
  return out;
}
