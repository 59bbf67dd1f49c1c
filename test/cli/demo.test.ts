import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/index.js';
import { useTempDir } from '../helpers/tmp.js';

const tmp = useTempDir();

describe('leakwatch demo', () => {
  it('traces every leaked sample to its stolen document and matches nothing unrelated', async () => {
    const dir = join(tmp(), 'demo');
    const r = await run(['demo', '--documents', '120', '--dir', dir, '--json']);
    expect(r.stderr).not.toMatch(/skipped/);
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout) as { ok: boolean; samples: { file: string; expected: string[]; found: string[]; unexpected: string[] }[] };
    expect(out.ok).toBe(true);
    expect(out.samples.map((s) => s.file)).toEqual(['proof-pack.zip', 'forum-post.txt', 'lab-report-reprinted.pdf', 'photo-small.jpg', 'unrelated-letter.pdf']);
    for (const s of out.samples) {
      expect(s.found).toEqual(s.expected);
      expect(s.unexpected).toEqual([]);
    }
    expect(existsSync(join(dir, 'fingerprints', 'fingerprints.db'))).toBe(true);
  });
});
