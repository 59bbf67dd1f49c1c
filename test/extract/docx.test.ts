import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/tmp.js';
import { failures, fromBuffer, fromFile, items, makeDocx } from './fixtures.js';

describe('DOCX extraction', () => {
  const tmp = useTempDir();

  it('extracts paragraphs, table cells and the embedded PNG', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'letter.docx'), await makeDocx());
    const out = await fromFile(join(dir, 'letter.docx'), 'letter.docx');
    expect(failures(out)).toEqual([]);
    expect(out).toHaveLength(1);
    const [item] = items(out);
    expect(item).toMatchObject({ path: 'letter.docx', type: 'docx', depth: 0 });
    const lines = item!.text!.split(/\n+/);
    expect(lines).toEqual([
      'Referral letter for Bob Sample regarding cardiology review.',
      'NHI',
      'ZZZ0016',
      'Ward',
      'Cardiology B',
    ]);
    expect(item!.images).toHaveLength(1);
    expect(item!.images[0]).toMatchObject({ label: expect.stringMatching(/^media\/.+\.png$/), width: 80, height: 60 });
  });

  it('recognises a DOCX by content whatever its name', async () => {
    const [item] = items(await fromBuffer(await makeDocx(), 'attachment.bin'));
    expect(item!.type).toBe('docx');
    expect(item!.text).toContain('Cardiology B');
  });
});
