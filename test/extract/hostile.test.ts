/**
 * Every hostile input class gets its own test: each must end in an item and/or a failure that
 * names the path, never a crash, a hang, unbounded memory or a write outside the temp dir.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import PDFKit from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { extractBuffer, extractFile } from '../../src/extract/index.js';
import { useTempDir } from '../helpers/tmp.js';
import {
  collect,
  failures,
  fromBuffer,
  fromFile,
  items,
  makeDocx,
  makePdfLib,
  makePng,
  makeTar,
  makeZip,
  rawZip,
} from './fixtures.js';

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

describe('hostile inputs', () => {
  const tmp = useTempDir();

  it('corrupt PDF → item with hash + E_CORRUPT_FILE naming the path', async () => {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(5000)]);
    const out = await fromBuffer(bytes, 'broken/scan.pdf');
    expect(items(out)).toMatchObject([{ path: 'broken/scan.pdf', type: 'pdf', sha256: sha(bytes) }]);
    expect(items(out)[0]!.warnings[0]).toMatch(/^content not extracted: /);
    const [f] = failures(out);
    expect(f).toMatchObject({ path: 'broken/scan.pdf', code: 'E_CORRUPT_FILE' });
    expect(f!.message).toContain('broken/scan.pdf');
  });

  it('password-protected PDF → E_UNSUPPORTED, hash kept', async () => {
    const doc = new PDFKit({ userPassword: 'secret', ownerPassword: 'owner' });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<void>((r) => doc.on('end', () => r()));
    doc.text('confidential');
    doc.end();
    await done;
    const out = await fromBuffer(Buffer.concat(chunks), 'locked.pdf');
    expect(items(out)).toHaveLength(1);
    expect(failures(out)).toMatchObject([{ path: 'locked.pdf', code: 'E_UNSUPPORTED', message: expect.stringMatching(/locked\.pdf: .*password/) }]);
  });

  it('corrupt DOCX (document.xml is not XML) → E_CORRUPT_FILE', async () => {
    const bytes = await makeZip([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'word/document.xml', data: '<<<< not xml at all' },
    ]);
    const out = await fromBuffer(bytes, 'bad.docx');
    expect(items(out)).toMatchObject([{ path: 'bad.docx', type: 'docx' }]);
    expect(failures(out)).toMatchObject([{ path: 'bad.docx', code: 'E_CORRUPT_FILE', message: expect.stringContaining('bad.docx') }]);
  });

  it('truncated DOCX (no central directory) → typed by its name, E_CORRUPT_FILE', async () => {
    const full = await makeDocx();
    const out = await fromBuffer(full.subarray(0, Math.floor(full.length / 2)), 'half.docx');
    expect(items(out)[0]!.type).toBe('docx');
    expect(failures(out)).toMatchObject([{ path: 'half.docx', code: 'E_CORRUPT_FILE' }]);
  });

  it('corrupt image inside a zip → failure for that member, the others are extracted', async () => {
    const badPng = Buffer.concat([(await makePng()).subarray(0, 40), randomBytes(200)]);
    const zip = await makeZip([
      { name: 'a.txt', data: 'before' },
      { name: 'bad.png', data: badPng },
      { name: 'good.png', data: await makePng() },
      { name: 'z.txt', data: 'after' },
    ]);
    const out = await fromBuffer(zip, 'photos.zip');
    expect(items(out).map((i) => i.path)).toEqual([
      'photos.zip',
      'photos.zip!/a.txt',
      'photos.zip!/bad.png',
      'photos.zip!/good.png',
      'photos.zip!/z.txt',
    ]);
    expect(items(out)[3]!.images).toHaveLength(1);
    expect(failures(out)).toMatchObject([{ path: 'photos.zip!/bad.png', code: 'E_CORRUPT_FILE' }]);
    expect(failures(out)[0]!.message).toContain('photos.zip!/bad.png');
  });

  it('encrypted zip entry → E_ARCHIVE_ENCRYPTED for it, the rest continues', async () => {
    const zip = rawZip([
      { name: 'open1.txt', data: Buffer.from('first') },
      { name: 'secret.txt', data: randomBytes(100), encrypted: true },
      { name: 'open2.txt', data: Buffer.from('second'), deflate: true },
    ]);
    const out = await fromBuffer(zip, 'enc.zip');
    expect(items(out).map((i) => i.text ?? null)).toEqual([null, 'first', 'second']);
    expect(failures(out)).toMatchObject([{ path: 'enc.zip!/secret.txt', code: 'E_ARCHIVE_ENCRYPTED' }]);
  });

  it('zip bomb by ratio (200 MB of zeros) → E_ARCHIVE_LIMIT quickly, low memory', async () => {
    const zeros = Buffer.alloc(200 * 1024 * 1024);
    const zip = await makeZip([{ name: 'zeros.bin', data: zeros }, { name: 'ok.txt', data: 'still read' }]);
    expect(zip.length).toBeLessThan(1024 * 1024);
    const t0 = Date.now();
    const out = await fromBuffer(zip, 'bomb.zip');
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(failures(out)).toMatchObject([{ path: 'bomb.zip!/zeros.bin', code: 'E_ARCHIVE_LIMIT' }]);
    expect(failures(out)[0]!.message).toMatch(/compression ratio above 200:1/);
    expect(items(out).map((i) => i.path)).toEqual(['bomb.zip', 'bomb.zip!/ok.txt']);
  });

  it('gzip and tar.gz bombs by ratio → E_ARCHIVE_LIMIT', async () => {
    const zeros = Buffer.alloc(100 * 1024 * 1024);
    const gz = await fromBuffer(gzipSync(zeros), 'zeros.bin.gz');
    expect(failures(gz)).toMatchObject([{ code: 'E_ARCHIVE_LIMIT' }]);
    const tgz = await fromBuffer(gzipSync(await makeTar([{ name: 'z.bin', data: zeros }])), 'z.tar.gz');
    expect(failures(tgz)).toMatchObject([{ code: 'E_ARCHIVE_LIMIT' }]);
    expect(items(tgz).map((i) => i.path)).toEqual(['z.tar.gz']);
  });

  it('zip bomb by total bytes (all nesting levels together) → one E_ARCHIVE_LIMIT, then stop', async () => {
    const inner = (tag: string) => makeZip([{ name: `${tag}.bin`, data: randomBytes(600 * 1024) }]);
    const zip = await makeZip([
      { name: 'one.zip', data: await inner('one') },
      { name: 'two.zip', data: await inner('two') },
      { name: 'three.txt', data: 'never reached' },
    ]);
    const out = await fromBuffer(zip, 'total.zip', { limits: { maxArchiveTotalBytes: 2 * 1024 * 1024 } });
    const f = failures(out);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ code: 'E_ARCHIVE_LIMIT', message: expect.stringMatching(/maxArchiveTotalBytes/) });
    expect(f[0]!.path.startsWith('total.zip!/')).toBe(true);
    expect(items(out).map((i) => i.path)).not.toContain('total.zip!/three.txt');
    expect(items(out).map((i) => i.path)).toContain('total.zip!/one.zip!/one.bin');
  });

  it('zip bomb by depth (7 nested zips) → items to depth 4, then E_ARCHIVE_LIMIT', async () => {
    let z = await makeZip([{ name: 'core.txt', data: 'core' }]);
    for (let i = 6; i >= 1; i--) z = await makeZip([{ name: `l${i}.zip`, data: z }]);
    const out = await fromBuffer(z, 'l0.zip');
    expect(items(out).map((i) => [i.path.split('!/').length - 1, i.depth])).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ]);
    expect(failures(out)).toMatchObject([
      { path: 'l0.zip!/l1.zip!/l2.zip!/l3.zip!/l4.zip', code: 'E_ARCHIVE_LIMIT', message: expect.stringMatching(/maxArchiveDepth/) },
    ]);
  });

  it('zip bomb by entry count → E_ARCHIVE_LIMIT after maxArchiveEntries', async () => {
    const zip = await makeZip(Array.from({ length: 50 }, (_, i) => ({ name: `f${i}.txt`, data: `file ${i}` })));
    const out = await fromBuffer(zip, 'many.zip', { limits: { maxArchiveEntries: 10 } });
    expect(items(out)).toHaveLength(11);
    expect(failures(out)).toMatchObject([{ code: 'E_ARCHIVE_LIMIT', message: expect.stringMatching(/more than 10 entries/) }]);
  });

  it('zip whose headers lie about sizes → failure for those members, counted bytes win', async () => {
    const text = Buffer.from('the real content is much longer than the header says '.repeat(100));
    const zip = rawZip([
      { name: 'understated.txt', data: text, deflate: true, claimedSize: 10 },
      { name: 'overstated.txt', data: text, deflate: true, claimedSize: 50_000_000 },
      // Stored (uncompressed) entries whose sizes disagree: only this member fails.
      { name: 'stored-liar.txt', data: text, claimedSize: 20 },
      { name: 'honest.txt', data: Buffer.from('honest'), deflate: true },
    ]);
    const out = await fromBuffer(zip, 'liar.zip');
    expect(items(out).map((i) => i.path)).toEqual(['liar.zip', 'liar.zip!/honest.txt']);
    expect(failures(out).map((f) => [f.path, f.code])).toEqual([
      ['liar.zip!/understated.txt', 'E_CORRUPT_FILE'],
      // Claiming 50 MB from a few hundred compressed bytes is refused from the headers alone.
      ['liar.zip!/overstated.txt', 'E_ARCHIVE_LIMIT'],
      ['liar.zip!/stored-liar.txt', 'E_CORRUPT_FILE'],
    ]);
    expect(failures(out)[0]!.message).toMatch(/more than the 10 bytes its header claims/);
    expect(failures(out)[1]!.message).toMatch(/compression ratio above 200:1/);
  });

  it('path-traversal member names (zip and tar) never write outside the temp dir', async () => {
    const tag = randomUUID();
    const sentinels = [join(tmpdir(), `lw-sentinel-${tag}`), `/tmp/lw-abs-${tag}`, join(tmpdir(), `lw-big-${tag}`)];
    const names = [
      `../../../../../../../..${sentinels[0]}`,
      sentinels[1]!,
      `..\\..\\..\\..\\..\\..\\..\\..${sentinels[2]!.replace(/\//g, '\\')}`,
      `C:\\..\\..\\Windows\\lw-${tag}`,
      `nul\u0000byte-${tag}.txt`,
      `./../lw-dotdot-${tag}`,
    ];
    const big = randomBytes(9 * 1024 * 1024); // forces the spill-to-temp-file path
    const entries = names.map((name, i) => ({ name, data: i === 2 ? big : Buffer.from(`payload ${i}`) }));
    const zip = rawZip(entries);
    const tarBytes = await makeTar(entries.map((e) => ({ name: e.name, data: e.data })));
    const dir = tmp();
    const spill = tmp();
    writeFileSync(join(dir, 'evil.zip'), zip);
    writeFileSync(join(dir, 'evil.tar'), tarBytes);
    for (const file of ['evil.zip', 'evil.tar']) {
      const spilled = new Set<string>();
      const out = [];
      for await (const x of extractFile(join(dir, file), file, { tempDir: spill })) {
        out.push(x);
        for (const sub of readdirSync(spill)) for (const f of readdirSync(join(spill, sub))) spilled.add(f);
      }
      expect(failures(out)).toEqual([]);
      const paths = items(out).map((i) => i.path);
      expect(paths).toHaveLength(names.length + 1);
      if (file === 'evil.zip') {
        // `..` stays visible as text; leading `/` and `./` are stripped; NUL shown as U+FFFD.
        expect(paths).toContain(`evil.zip!/${sentinels[1]!.slice(1)}`);
        expect(paths).toContain(`evil.zip!/nul\uFFFDbyte-${tag}.txt`);
        expect(paths).toContain(`evil.zip!/../lw-dotdot-${tag}`);
        expect(paths).toContain(`evil.zip!/C:/../../Windows/lw-${tag}`);
      }
      expect(items(out).find((i) => i.size === big.length)?.sha256).toBe(sha(big));
      expect([...spilled]).toEqual(['member-1.bin']);
      expect(readdirSync(spill)).toEqual([]);
    }
    for (const s of sentinels) expect(existsSync(s)).toBe(false);
    expect(readdirSync(tmpdir()).filter((n) => n.includes(tag))).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['evil.tar', 'evil.zip']);
  });

  it('tar symlink, hard link and device entries → skipped with E_UNSUPPORTED', async () => {
    const tarBytes = await makeTar([
      { name: 'etc-passwd', type: 'symlink', linkname: '/etc/passwd' },
      { name: 'hard', type: 'link', linkname: '../../outside' },
      { name: 'dev', type: 'character-device' },
      { name: 'fifo', type: 'fifo' },
      { name: 'real.txt', data: 'real file' },
    ]);
    const out = await fromBuffer(tarBytes, 'links.tar');
    expect(items(out).map((i) => i.path)).toEqual(['links.tar', 'links.tar!/real.txt']);
    expect(failures(out).map((f) => [f.path, f.code])).toEqual([
      ['links.tar!/etc-passwd', 'E_UNSUPPORTED'],
      ['links.tar!/hard', 'E_UNSUPPORTED'],
      ['links.tar!/dev', 'E_UNSUPPORTED'],
      ['links.tar!/fifo', 'E_UNSUPPORTED'],
    ]);
    expect(failures(out)[0]!.message).toMatch(/symbolic link skipped/);
  });

  it('truncated gzip → item for the .gz plus E_CORRUPT_FILE', async () => {
    const gz = gzipSync(randomBytes(100_000));
    const out = await fromBuffer(gz.subarray(0, 50_000), 'cut.bin.gz');
    expect(items(out).map((i) => i.path)).toEqual(['cut.bin.gz']);
    expect(failures(out)).toMatchObject([{ code: 'E_CORRUPT_FILE', message: expect.stringContaining('cut.bin.gz') }]);
  });

  it('huge sparse file (3 GB) → streamed SHA-256, content not extracted, memory stays low', async () => {
    const dir = tmp();
    const path = join(dir, 'huge.txt');
    writeFileSync(path, '');
    await truncate(path, 3 * 1024 ** 3); // sparse: no disk space used
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const t0 = Date.now();
    const out = await fromFile(path, 'huge.txt');
    clearInterval(timer);
    const ms = Date.now() - t0;
    expect(out).toHaveLength(1);
    const [item] = items(out);
    expect(item).toMatchObject({ path: 'huge.txt', size: 3 * 1024 ** 3, type: 'binary' });
    expect(item!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(item!.warnings).toEqual(['content not extracted: larger than 256 MiB (maxContentBytes)']);
    expect(peak - rssBefore).toBeLessThan(200 * 1024 * 1024);
    // ~2 s on an idle 2-core box; generous bound because CI neighbours share the cores.
    expect(ms).toBeLessThan(40_000);
  }, 60_000);

  it('wrong extensions: a PDF named .txt is a PDF, a zip named .pdf is a zip', async () => {
    const pdfAsTxt = items(await fromBuffer(await makePdfLib(), 'notes.txt'));
    expect(pdfAsTxt[0]).toMatchObject({ type: 'pdf' });
    expect(pdfAsTxt[0]!.pages).toHaveLength(2);
    const zipAsPdf = items(await fromBuffer(await makeZip([{ name: 'in.txt', data: 'inside' }]), 'scan.pdf'));
    expect(zipAsPdf.map((i) => [i.path, i.type])).toEqual([
      ['scan.pdf', 'zip'],
      ['scan.pdf!/in.txt', 'text'],
    ]);
  });

  it('empty file → one item, warning "empty file"', async () => {
    const out = await fromBuffer(new Uint8Array(0), 'zero.docx');
    expect(out).toMatchObject([{ path: 'zero.docx', size: 0, type: 'binary', warnings: ['empty file'] }]);
  });

  it('abort mid-archive → AbortError, temp dir still removed', async () => {
    const zip = await makeZip(Array.from({ length: 20 }, (_, i) => ({ name: `f${i}.txt`, data: `file ${i}` })));
    const ac = new AbortController();
    const spill = tmp();
    const seen: string[] = [];
    const run = async (): Promise<void> => {
      for await (const x of extractBuffer(zip, 'a.zip', { signal: ac.signal, tempDir: spill })) {
        seen.push(x.path);
        if (seen.length === 4) ac.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ code: 'E_ABORTED' });
    expect(seen).toHaveLength(4);
    expect(readdirSync(spill)).toEqual([]);
  });

  it('missing input file → E_INPUT_NOT_FOUND naming it', async () => {
    expect(await collect(extractFile('/nonexistent/missing.txt', 'missing.txt'))).toMatchObject([
      { path: 'missing.txt', code: 'E_INPUT_NOT_FOUND' },
    ]);
  });
});
