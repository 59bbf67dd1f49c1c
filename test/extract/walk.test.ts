import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFile, walkInputs, type WalkedFile } from '../../src/extract/index.js';
import type { ExtractFailure } from '../../src/extract/types.js';
import { useTempDir } from '../helpers/tmp.js';
import { collect } from './fixtures.js';

async function walk(paths: string[]): Promise<(WalkedFile | ExtractFailure)[]> {
  const out: (WalkedFile | ExtractFailure)[] = [];
  for await (const x of walkInputs(paths)) out.push(x);
  return out;
}

const summary = (x: WalkedFile | ExtractFailure): string =>
  'code' in x ? `${x.path} ✗ ${x.code}` : `${x.displayPath} ${x.size}`;

describe('walkInputs', () => {
  const tmp = useTempDir();

  it('walks folders recursively in sorted order with root-relative POSIX display paths', async () => {
    const root = tmp();
    const corpus = join(root, 'corpus');
    mkdirSync(join(corpus, 'notes', 'deep'), { recursive: true });
    mkdirSync(join(corpus, 'B'));
    writeFileSync(join(corpus, 'notes', 'b.txt'), 'bb');
    writeFileSync(join(corpus, 'notes', 'a.txt'), 'a');
    writeFileSync(join(corpus, 'notes', 'deep', 'c.pdf'), 'ccc');
    writeFileSync(join(corpus, 'B', 'x.txt'), 'x');
    writeFileSync(join(corpus, 'z.txt'), 'zzzz');
    writeFileSync(join(root, 'single.txt'), 'single');
    const out = await walk([corpus + '/', join(root, 'single.txt')]);
    expect(out.map(summary)).toEqual([
      'B/x.txt 1',
      'notes/a.txt 1',
      'notes/b.txt 2',
      'notes/deep/c.pdf 3',
      'z.txt 4',
      'single.txt 6',
    ]);
    const first = out[0] as WalkedFile;
    expect(first.absPath).toBe(join(corpus, 'B', 'x.txt'));
    expect(first.mtimeMs).toBeGreaterThan(0);
  });

  it('reports unreadable entries (dangling symlink, FIFO), skips symlinked dirs, goes on', async () => {
    // Tests run as root, so chmod 000 would still be readable: a dangling symlink and a FIFO
    // stand in for unreadable files. A symlink back to the root would loop if followed.
    const root = tmp();
    writeFileSync(join(root, 'a.txt'), 'a');
    symlinkSync(join(root, 'gone.txt'), join(root, 'dangling.txt'));
    execFileSync('mkfifo', [join(root, 'pipe')]);
    symlinkSync(root, join(root, 'loop'));
    writeFileSync(join(root, 'z.txt'), 'z');
    const out = await walk([root, join(root, 'missing-arg')]);
    expect(out.map((x) => ('code' in x ? [x.path, x.code] : [x.displayPath, 'ok']))).toEqual([
      ['a.txt', 'ok'],
      ['dangling.txt', 'E_INPUT_NOT_FOUND'],
      ['loop', 'E_UNSUPPORTED'],
      ['pipe', 'E_INPUT_UNREADABLE'],
      ['z.txt', 'ok'],
      [join(root, 'missing-arg'), 'E_INPUT_NOT_FOUND'],
    ]);
    for (const x of out) if ('code' in x) expect(x.message).toContain(x.path);
    expect((out[1] as ExtractFailure).message).toMatch(/broken symbolic link/);
  });

  it('extractFile refuses a FIFO instead of blocking on it', async () => {
    const root = tmp();
    execFileSync('mkfifo', [join(root, 'pipe')]);
    expect(await collect(extractFile(join(root, 'pipe'), 'pipe'))).toMatchObject([
      { path: 'pipe', code: 'E_INPUT_UNREADABLE', message: expect.stringContaining('pipe') },
    ]);
  });
});
