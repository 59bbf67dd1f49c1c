import type { FileFingerprints } from '../../ingest/fingerprint-file.js';
import type { ItemFingerprint } from '../../fingerprint/types.js';

const hex52 = (x: number): string => x.toString(16).padStart(13, '0');

function itemView(i: ItemFingerprint): Record<string, unknown> {
  return {
    path: i.path,
    sha256: i.sha256,
    size: i.size,
    type: i.type,
    textChars: i.textChars,
    tokens: i.tokens,
    textHash: i.textHash ?? null,
    ...(i.pageHashes ? { pageHashes: i.pageHashes } : {}),
    simhash: i.simhash ?? null,
    winnow: { count: i.winnowHashes.length, fingerprints: Array.from(i.winnowHashes, (h, k) => ({ hash: hex52(h), word: i.winnowPositions[k] })) },
    pdq: i.pdq.map((p) => ({ label: p.label, hash: p.hash, quality: p.quality })),
    warnings: i.warnings,
  };
}

/** What `fingerprint inspect` shows: the file's own values at top level, archive members below. */
export function inspectView(r: FileFingerprints, keyId: string, keyNote: string): Record<string, unknown> {
  const [first, ...members] = r.items;
  return {
    ...(first ? itemView(first) : {}),
    keyId,
    key: keyNote,
    ...(members.length ? { members: members.map(itemView) } : {}),
    ...(r.failures.length ? { errors: r.failures } : {}),
  };
}

export function printInspect(v: Record<string, unknown>): string {
  const lines: string[] = [];
  const one = (x: Record<string, unknown>, indent: string): void => {
    const w = x.winnow as { count: number } | undefined;
    const pdq = (x.pdq as { label: string; hash: string; quality: number }[] | undefined) ?? [];
    lines.push(`${indent}${String(x.path)}  (${String(x.type)}, ${String(x.size)} bytes)`);
    lines.push(`${indent}  sha256:    ${String(x.sha256)}`);
    lines.push(`${indent}  text:      ${String(x.tokens)} words, hash ${String(x.textHash ?? '— (too short)')}`);
    if (Array.isArray(x.pageHashes)) lines.push(`${indent}  pages:     ${x.pageHashes.length} (${x.pageHashes.filter(Boolean).length} with a text hash)`);
    lines.push(`${indent}  simhash:   ${String(x.simhash ?? '— (too short)')}`);
    lines.push(`${indent}  passages:  ${w?.count ?? 0} winnowing fingerprints`);
    for (const p of pdq) lines.push(`${indent}  pdq:       ${p.hash} quality ${p.quality} (${p.label})`);
    for (const warn of (x.warnings as string[] | undefined) ?? []) lines.push(`${indent}  warning:   ${warn}`);
  };
  one(v, '');
  for (const m of (v.members as Record<string, unknown>[] | undefined) ?? []) one(m, '  ');
  for (const e of (v.errors as { path: string; message: string; code: string }[] | undefined) ?? []) lines.push(`error: ${e.path}: ${e.message} [${e.code}]`);
  lines.push(`(${String(v.key)})`);
  return lines.join('\n') + '\n';
}
