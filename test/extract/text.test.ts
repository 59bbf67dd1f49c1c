import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeText, sniff, sniffFile } from '../../src/extract/index.js';
import { useTempDir } from '../helpers/tmp.js';
import { failures, fromBuffer, fromFile, items, makeDocx, makePdfLib, makePng, makeZip } from './fixtures.js';

const SAMPLE = 'Zoë Müller — café 25 € naïve';

describe('decodeText', () => {
  it('decodes UTF-8 with and without BOM', () => {
    const utf8 = Buffer.from(SAMPLE, 'utf8');
    expect(decodeText(utf8)).toMatchObject({ text: SAMPLE, encoding: 'utf-8', bom: false });
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]))).toMatchObject({
      text: SAMPLE,
      encoding: 'utf-8',
      bom: true,
    });
  });

  it('decodes UTF-16LE and UTF-16BE with BOM', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SAMPLE, 'utf16le')]);
    expect(decodeText(le)).toMatchObject({ text: SAMPLE, encoding: 'utf-16le' });
    const be = Buffer.from(Buffer.from(SAMPLE, 'utf16le')).swap16();
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toMatchObject({
      text: SAMPLE,
      encoding: 'utf-16be',
    });
  });

  it('recognises BOM-less UTF-16LE from the NUL pattern', () => {
    expect(decodeText(Buffer.from('plain ascii in utf-16', 'utf16le'))).toMatchObject({
      text: 'plain ascii in utf-16',
      encoding: 'utf-16le',
    });
  });

  it('falls back to windows-1252 for invalid UTF-8', () => {
    // "café – 25 €" in windows-1252: é = E9, – = 96, € = 80
    const bytes = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x96, 0x20, 0x32, 0x35, 0x20, 0x80]);
    expect(decodeText(bytes)).toMatchObject({ text: 'café – 25 €', encoding: 'windows-1252' });
  });

  it('strips NUL characters', () => {
    expect(decodeText(Buffer.from('a\u0000b\u0000c')).text).toBe('abc');
  });
});

describe('sniff', () => {
  it('identifies types by content, extension only as tie-breaker', async () => {
    const pdf = await makePdfLib();
    expect(sniff(pdf, 'report.txt')).toBe('pdf');
    expect(sniff(await makeZip([{ name: 'a.txt', data: 'x' }]), 'scan.pdf')).toBe('zip');
    expect(sniff(await makeDocx(), 'letter.zip')).toBe('docx');
    expect(sniff(await makePng(), 'photo.txt')).toBe('image');
    expect(sniff(Buffer.from('{"a": [1, 2, {"b": null}]}'), 'x.txt')).toBe('json');
    expect(sniff(Buffer.from('<!DOCTYPE html><html><body><p>hi</p></body></html>'), 'x.txt')).toBe('html');
    expect(sniff(Buffer.from('name,dob,ward\nAlice,1970-01-01,B\nBob,1980-02-02,C\nCara,1990-03-03,D\n'), 'x')).toBe(
      'csv',
    );
    expect(sniff(Buffer.from('just one column\nanother row\n'), 'list.csv')).toBe('csv');
    expect(sniff(Buffer.from('# Title\n\nSome **bold** text and a [link](http://x).\n'), 'README')).toBe('markdown');
    expect(sniff(Buffer.from('plain words only\n'), 'notes.md')).toBe('markdown');
    expect(sniff(Buffer.from('plain words only\n'), 'notes')).toBe('text');
    expect(sniff(Buffer.from([0x00, 0x01, 0x02, 0x03, 0xff, 0xfe, 0x10, 0x11, 0x00, 0x00]), 'x.txt')).toBe('binary');
    expect(sniff(Buffer.from('BMI 24.5 recorded at intake\n'), 'x')).toBe('text'); // "BM" is not a bitmap
    expect(sniff(new Uint8Array(0), 'empty.pdf')).toBe('binary');
  });

  const tmp = useTempDir();
  it('sniffFile tells DOCX from zip by the central directory of a large file', async () => {
    const dir = tmp();
    const docx = await makeDocx();
    // Pad the DOCX past the sniff window with a stored filler member so only the central
    // directory (at the end) can tell it is a DOCX.
    const big = await makeZip([
      { name: 'filler.bin', data: Buffer.alloc(200_000, 7), compress: false },
      { name: 'word/document.xml', data: '<w:document/>' },
    ]);
    writeFileSync(join(dir, 'a.docx'), docx);
    writeFileSync(join(dir, 'b.bin'), big);
    expect(await sniffFile(join(dir, 'a.docx'), docx.length, 'a.docx')).toBe('docx');
    expect(await sniffFile(join(dir, 'b.bin'), big.length, 'b.bin')).toBe('docx');
  });
});

describe('text extraction', () => {
  const tmp = useTempDir();
  it('extracts text files in each encoding to the same text', async () => {
    const dir = tmp();
    const variants: Record<string, Buffer> = {
      'utf8.txt': Buffer.from(SAMPLE, 'utf8'),
      'utf8bom.txt': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE)]),
      'utf16.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SAMPLE, 'utf16le')]),
    };
    for (const [name, bytes] of Object.entries(variants)) {
      writeFileSync(join(dir, name), bytes);
      const out = await fromFile(join(dir, name), name);
      expect(failures(out)).toEqual([]);
      const [item] = items(out);
      expect(item).toMatchObject({ path: name, type: 'text', depth: 0, size: bytes.length, text: SAMPLE });
      expect(item!.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('gives an empty file an item with a warning and no content', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'empty.pdf'), '');
    const out = await fromFile(join(dir, 'empty.pdf'), 'empty.pdf');
    expect(out).toEqual([
      {
        path: 'empty.pdf',
        sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        size: 0,
        type: 'binary',
        depth: 0,
        images: [],
        warnings: ['empty file'],
      },
    ]);
  });

  it('extracts JSON and CSV as text with their type', async () => {
    const json = items(await fromBuffer(Buffer.from('{"patient": "Alice"}'), 'a.dat'));
    expect(json[0]).toMatchObject({ type: 'json', text: '{"patient": "Alice"}' });
    const csv = items(await fromBuffer(Buffer.from('a,b\n1,2\n3,4\n5,6\n7,8\n'), 'rows'));
    expect(csv[0]).toMatchObject({ type: 'csv', text: 'a,b\n1,2\n3,4\n5,6\n7,8\n' });
  });
});
