import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { extractFile } from '../../src/extract/index.js';
import { useTempDir } from '../helpers/tmp.js';
import { failures, fromBuffer, fromFile, items, makeDocx, makePdfLib, makePng, makeTar, makeZip } from './fixtures.js';

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

describe('archives', () => {
  const tmp = useTempDir();

  it('zip: an item for the archive, then one per member, with exact hashes and content', async () => {
    const pdf = await makePdfLib();
    const png = await makePng();
    const zip = await makeZip([
      { name: 'notes/a.txt', data: 'hello from the archive' },
      { name: 'dir/report.pdf', data: pdf },
      { name: 'img/photo.png', data: png },
      { name: './lead/slash.txt', data: 'dot slash' },
    ]);
    const dir = tmp();
    writeFileSync(join(dir, 'dump.zip'), zip);
    const out = await fromFile(join(dir, 'dump.zip'), 'dump.zip');
    expect(failures(out)).toEqual([]);
    const it = items(out);
    expect(it.map((i) => [i.path, i.type, i.depth])).toEqual([
      ['dump.zip', 'zip', 0],
      ['dump.zip!/notes/a.txt', 'text', 1],
      ['dump.zip!/dir/report.pdf', 'pdf', 1],
      ['dump.zip!/img/photo.png', 'image', 1],
      ['dump.zip!/lead/slash.txt', 'text', 1],
    ]);
    expect(it[0]!.sha256).toBe(sha(zip));
    expect(it[1]).toMatchObject({ text: 'hello from the archive', sha256: sha('hello from the archive') });
    expect(it[2]!.sha256).toBe(sha(pdf));
    expect(it[2]!.pages).toHaveLength(2);
    expect(it[3]!.images).toMatchObject([{ label: 'image', width: 64, height: 48 }]);
  });

  it('tar, tar.gz and plain .gz, with display paths per format', async () => {
    const tarBytes = await makeTar([
      { name: 'a.txt', data: 'alpha text' },
      { name: 'sub', type: 'directory' },
      { name: 'sub/b.csv', data: 'x,y\n1,2\n3,4\n5,6\n7,8\n' },
    ]);
    const t = items(await fromBuffer(tarBytes, 'files.tar'));
    expect(t.map((i) => [i.path, i.type])).toEqual([
      ['files.tar', 'tar'],
      ['files.tar!/a.txt', 'text'],
      ['files.tar!/sub/b.csv', 'csv'],
    ]);

    const tgz = items(await fromBuffer(gzipSync(tarBytes), 'files.tar.gz'));
    expect(tgz.map((i) => [i.path, i.type, i.depth])).toEqual([
      ['files.tar.gz', 'gzip', 0],
      ['files.tar.gz!/a.txt', 'text', 1],
      ['files.tar.gz!/sub/b.csv', 'csv', 1],
    ]);

    const gz = items(await fromBuffer(gzipSync('compressed words'), 'note.txt.gz'));
    expect(gz.map((i) => [i.path, i.type, i.text])).toEqual([
      ['note.txt.gz', 'gzip', undefined],
      ['note.txt.gz!/note.txt', 'text', 'compressed words'],
    ]);
  });

  it('reads a pre-POSIX (v7) tar without the ustar magic', async () => {
    const t = Buffer.from(await makeTar([{ name: 'old.txt', data: 'from 1979' }]));
    t.fill(0, 257, 265); // drop magic + version: a v7 header
    t.fill(0x20, 148, 156);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += t[i]!;
    t.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    const out = await fromBuffer(t, 'old.tar');
    expect(failures(out)).toEqual([]);
    expect(items(out).map((i) => [i.path, i.type, i.text])).toEqual([
      ['old.tar', 'tar', undefined],
      ['old.tar!/old.txt', 'text', 'from 1979'],
    ]);
  });

  it('recurses into nested archives: zip in tar.gz in zip, DOCX inside', async () => {
    const innerZip = await makeZip([
      { name: 'deep.txt', data: 'deepest text' },
      { name: 'letter.docx', data: await makeDocx() },
    ]);
    const tgz = gzipSync(await makeTar([{ name: 'inner.zip', data: innerZip }]));
    const outer = await makeZip([{ name: 'inner.tar.gz', data: tgz }]);
    const out = await fromBuffer(outer, 'outer.zip');
    expect(failures(out)).toEqual([]);
    expect(items(out).map((i) => [i.path, i.type, i.depth])).toEqual([
      ['outer.zip', 'zip', 0],
      ['outer.zip!/inner.tar.gz', 'gzip', 1],
      ['outer.zip!/inner.tar.gz!/inner.zip', 'zip', 2],
      ['outer.zip!/inner.tar.gz!/inner.zip!/deep.txt', 'text', 3],
      ['outer.zip!/inner.tar.gz!/inner.zip!/letter.docx', 'docx', 3],
    ]);
    expect(items(out)[4]!.text).toContain('Referral letter');
  });

  it('spills large members to counter-named temp files and removes them', async () => {
    const big = randomBytes(9 * 1024 * 1024); // above the 8 MiB in-memory threshold
    const zip = await makeZip([
      { name: 'big.bin', data: big, compress: false },
      { name: 'inner.zip', data: await makeZip([{ name: 'x.txt', data: 'x' }]), compress: false },
    ]);
    const dir = tmp();
    const spill = tmp();
    writeFileSync(join(dir, 'a.zip'), zip);
    const seen: string[] = [];
    for await (const x of extractFile(join(dir, 'a.zip'), 'a.zip', { tempDir: spill })) {
      for (const sub of readdirSync(spill)) seen.push(sub, ...readdirSync(join(spill, sub)));
      if ('sha256' in x && x.path === 'a.zip!/big.bin') expect(x.sha256).toBe(sha(big));
    }
    expect(seen).toContain('member-1.bin');
    expect(seen.every((n) => /^(leakwatch-extract-\w+|member-\d+\.bin)$/.test(n))).toBe(true);
    expect(readdirSync(spill)).toEqual([]);
  });

  it('hashes but does not keep members above maxMemberBytes', async () => {
    const data = Buffer.alloc(3000, 'a');
    const out = items(await fromBuffer(await makeZip([{ name: 'a.txt', data }]), 'z.zip', { limits: { maxMemberBytes: 1000 } }));
    expect(out[1]).toMatchObject({ path: 'z.zip!/a.txt', size: 3000, sha256: sha(data), type: 'text' });
    expect(out[1]!.text).toBeUndefined();
    expect(out[1]!.warnings[0]).toMatch(/content not extracted: larger than .*maxMemberBytes/);
  });
});
