import { formatBytes } from './data-size.js';
import type { ExtractedPost, ListingOutcome, PostPageOutcome } from './types.js';

/**
 * Human-readable rendering of an extraction outcome, for `leakwatch sites test`: what a
 * definition author needs to see at a glance — status, counts, and each post's parsed values.
 */

function cut(text: string, width: number): string {
  const t = text.replace(/\s+/g, ' ');
  return t.length > width ? `${t.slice(0, width - 1)}…` : t;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] ?? 0))).join('  ').trimEnd()).join('\n');
}

function shortDate(iso: string | undefined): string {
  if (!iso) return '-';
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 16).replace('T', ' ');
}

function postRows(posts: ExtractedPost[]): string[][] {
  const rows = [['#', 'title', 'date (UTC)', 'size', 'deadline (UTC)', 'key basis']];
  posts.forEach((p, i) => {
    rows.push([
      String(i + 1),
      cut(p.title, 40),
      p.publishedAt ? shortDate(p.publishedAt) : p.dateText ? `? ${cut(p.dateText, 14)}` : '-',
      p.dataSizeBytes !== undefined ? formatBytes(p.dataSizeBytes) : p.dataSizeText ? `? ${cut(p.dataSizeText, 10)}` : '-',
      shortDate(p.deadlineAt),
      cut(p.keyBasis, 48),
    ]);
  });
  return rows;
}

export function formatListingOutcome(outcome: ListingOutcome): string {
  const lines: string[] = [];
  const { page } = outcome;
  lines.push(`page      ${page.bytes} bytes${page.truncated ? ' (truncated)' : ''}${page.encoding ? `, ${page.encoding}` : ''}, title "${cut(page.title, 60)}", ${page.textChars} text characters, ${page.itemsMatched} items matched`);
  if (outcome.status === 'ok') {
    lines.push(`status    ok: ${outcome.posts.length} post${outcome.posts.length === 1 ? '' : 's'}`);
    lines.push(`next page ${outcome.nextPage ?? '-'}`);
    const dated = outcome.posts.filter((p) => p.publishedAt).length;
    const sized = outcome.posts.filter((p) => p.dataSizeBytes !== undefined).length;
    const linked = outcome.posts.filter((p) => p.url).length;
    lines.push(`parsed    ${linked} with post URL, ${dated} with date, ${sized} with size`);
    lines.push('', table(postRows(outcome.posts)));
  } else {
    lines.push(`status    ${outcome.status}: ${outcome.reason}`);
  }
  if (outcome.warnings.length > 0) {
    lines.push('', `warnings (${outcome.warnings.length}):`);
    for (const w of outcome.warnings.slice(0, 50)) lines.push(`  - ${w}`);
    if (outcome.warnings.length > 50) lines.push(`  … ${outcome.warnings.length - 50} more`);
  }
  return `${lines.join('\n')}\n`;
}

export function formatPostOutcome(outcome: PostPageOutcome): string {
  const lines: string[] = [];
  if (outcome.status !== 'ok') {
    lines.push(`status    ${outcome.status}: ${outcome.reason}`);
  } else {
    lines.push('status    ok');
    lines.push(`desc      ${outcome.description ? cut(outcome.description, 100) : '-'}`);
    lines.push(`images    ${outcome.images.length}`);
    for (const img of outcome.images.slice(0, 20)) lines.push(`  ${img}`);
    lines.push(`files     ${outcome.files.length}`);
    for (const f of outcome.files.slice(0, 50)) lines.push(`  ${f.url}${f.name ? `  ${f.name}` : ''}${f.sizeBytes !== undefined ? `  ${formatBytes(f.sizeBytes)}` : f.sizeText ? `  ? ${f.sizeText}` : ''}`);
    lines.push(`file tree ${outcome.fileTree ? `${outcome.fileTree.split('\n').length} lines` : '-'}`);
    for (const [k, v] of Object.entries(outcome.fields)) lines.push(`  ${k}: ${cut(v, 80)}`);
  }
  if (outcome.warnings.length > 0) {
    lines.push('', `warnings (${outcome.warnings.length}):`);
    for (const w of outcome.warnings.slice(0, 50)) lines.push(`  - ${w}`);
  }
  return `${lines.join('\n')}\n`;
}
