import { describe, expect, it } from 'vitest';
import { textFromTsv } from '../../src/extract/ocr/ocr-words.js';

/** One TSV word row as tesseract writes it: level 5, page/block/paragraph/line/word, box, confidence, text. */
const word = (line: number, n: number, confidence: number, text: string): string => ['5', '1', '1', '1', String(line), String(n), '0', '0', '10', '10', String(confidence), text].join('\t');
const HEADER = 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext';
const LINE_ROW = ['4', '1', '1', '1', '1', '0', '0', '0', '100', '10', '-1', ''].join('\t');

describe('OCR words (specks left out)', () => {
  it('rebuilds the lines from the word rows and drops short low-confidence words read from specks', () => {
    const tsv = [
      HEADER,
      LINE_ROW,
      word(1, 1, 96, 'Collected'),
      word(1, 2, 95, '29/12/2019'),
      word(1, 3, 31, '8'),
      word(1, 4, 22, 'E.'),
      word(1, 5, 93, 'Requested'),
      word(1, 6, 94, 'by'),
      word(2, 1, 91, 'WBC'),
      word(2, 2, 90, '8'),
      word(2, 3, 40, 'haemoglobn'),
      word(2, 4, 88, 'a'),
    ].join('\n');
    const r = textFromTsv(tsv);
    // "8" and "E." (one letter each, confidence 31 and 22) were specks; the value "8" read at 90
    // and the misread but long "haemoglobn" stay.
    expect(r.text).toBe('Collected 29/12/2019 Requested by\nWBC 8 haemoglobn a\n');
    expect(r.specks).toBe(2);
  });

  it('gives empty text for a table without words', () => {
    expect(textFromTsv([HEADER, LINE_ROW].join('\n'))).toEqual({ text: '', specks: 0 });
    expect(textFromTsv('')).toEqual({ text: '', specks: 0 });
  });
});
