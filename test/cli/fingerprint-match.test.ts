import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/index.js';
import { generateCorpus, type CorpusManifest } from '../../src/synth/index.js';
import { useTempDir } from '../helpers/tmp.js';

const tmp = useTempDir();

function zipOf(files: Record<string, Buffer>, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const z = new yazl.ZipFile();
    for (const [name, data] of Object.entries(files)) z.addBuffer(data, name);
    z.end();
    const chunks: Buffer[] = [];
    z.outputStream.on('data', (c: Buffer) => chunks.push(c));
    z.outputStream.on('end', () => {
      writeFileSync(out, Buffer.concat(chunks));
      resolve();
    });
    z.outputStream.on('error', reject);
  });
}

async function setup(): Promise<{ dir: string; corpus: string; manifest: CorpusManifest; env: NodeJS.ProcessEnv }> {
  const dir = tmp();
  const corpus = join(dir, 'corpus');
  const manifest = await generateCorpus(corpus, { seed: 11, documents: 14, formats: ['txt', 'pdf', 'docx', 'png'] });
  // Keys go to the temp dir, never to the user's ~/.config.
  return { dir, corpus, manifest, env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'config') } };
}

describe('leakwatch fingerprint / match', () => {
  it('fingerprints a corpus, resumes without redoing work, and matches samples inside archives', async () => {
    const { dir, corpus, manifest, env } = await setup();
    const lw = (...args: string[]) => run(args, { cwd: dir, env });

    const add = await lw('fingerprint', 'add', '--set', 'clinic', '--json', 'corpus');
    expect(add.exitCode).toBe(0);
    const summary = JSON.parse(add.stdout);
    expect(summary).toMatchObject({ set: 'clinic', filesSeen: 14, filesFingerprinted: 14, filesFailed: 0 });
    expect(add.stderr).toMatch(/fingerprint key: .*config\/leakwatch\/fingerprint-[0-9a-f]+\.key/);

    // Incremental: one changed file and one new file; the rest is skipped.
    const first = manifest.entries.find((e) => e.format === 'txt')!;
    writeFileSync(join(corpus, first.path), readFileSync(join(corpus, first.path), 'utf8') + '\nAddendum.');
    writeFileSync(join(corpus, 'new-note.txt'), 'A new note about nothing in particular, long enough to have a text hash and more words.');
    const again = JSON.parse((await lw('fingerprint', 'add', '--set', 'clinic', '--json', 'corpus')).stdout);
    expect(again).toMatchObject({ filesSeen: 15, filesFingerprinted: 2, filesUnchanged: 13 });

    const list = await lw('fingerprint', 'list', '--json');
    expect(JSON.parse(list.stdout).sets[0]).toMatchObject({ name: 'clinic', sources: 15 });
    const stats = await lw('fingerprint', 'stats', 'clinic');
    expect(stats.stdout).toMatch(/files: +15 \(0 failed\)/);

    // A dump with a PDF of the corpus, a PNG of the corpus and an unrelated file.
    const pdf = manifest.entries.find((e) => e.format === 'pdf')!;
    const png = manifest.entries.find((e) => e.format === 'png')!;
    mkdirSync(join(dir, 'leak'));
    await zipOf(
      {
        'proof/report.pdf': readFileSync(join(corpus, pdf.path)),
        'proof/scan.png': readFileSync(join(corpus, png.path)),
        'readme.txt': Buffer.from('Pay or we publish everything. Contact us on our portal within 72 hours.'),
      },
      join(dir, 'leak', 'dump.zip'),
    );
    const m = await lw('match', '--json', 'leak');
    expect(m.exitCode).toBe(1);
    const out = JSON.parse(m.stdout) as { samples: { path: string; sha256: string; matches: { document: string; method: string; score: number; set: string }[] }[] };
    const byPath = new Map(out.samples.map((s) => [s.path, s]));
    expect(byPath.get('dump.zip!/proof/report.pdf')!.matches[0]).toMatchObject({ set: 'clinic', document: pdf.path, method: 'exact', score: 1 });
    expect(byPath.get('dump.zip!/proof/scan.png')!.matches[0]).toMatchObject({ document: png.path, method: 'exact' });
    expect(byPath.get('dump.zip!/readme.txt')!.matches).toEqual([]);

    const none = await lw('match', join(dir, 'corpus', 'new-note.txt'), '--set', 'clinic');
    expect(none.exitCode).toBe(1);
    writeFileSync(join(dir, 'other.txt'), 'Nothing to see here: completely unrelated words about gardening and tomatoes and weather.');
    const miss = await lw('match', 'other.txt');
    expect(miss.exitCode).toBe(0);
    expect(miss.stdout).toMatch(/1 samples checked, 0 matched/);
  });

  it('inspect prints the stored values for one file without storing it', async () => {
    const { dir, corpus, manifest, env } = await setup();
    const png = manifest.entries.find((e) => e.format === 'png')!;
    const txt = manifest.entries.find((e) => e.format === 'txt')!;
    const r = await run(['fingerprint', 'inspect', '--json', join(corpus, png.path)], { cwd: dir, env });
    expect(r.exitCode).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v.sha256).toBe(png.sha256);
    expect(v.pdq[0].hash).toMatch(/^[0-9a-f]{64}$/);
    expect(v.pdq[0].quality).toBeGreaterThanOrEqual(0);
    expect(v.key).toMatch(/ephemeral key/);
    const t = JSON.parse((await run(['fingerprint', 'inspect', '--json', join(corpus, txt.path)], { cwd: dir, env })).stdout);
    expect(t.simhash).toMatch(/^[0-9a-f]{16}$/);
    expect(t.winnow.count).toBeGreaterThan(0);
    // Nothing was stored: there is still no store.
    const list = await run(['fingerprint', 'list'], { cwd: dir, env });
    expect(list.exitCode).toBe(2);
    expect(list.stderr).toMatch(/no fingerprint store/);
  });

  it('reports a corrupt file by path, stores the rest, and exits 0', async () => {
    const { dir, corpus, env } = await setup();
    writeFileSync(join(corpus, 'broken.pdf'), '%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage');
    writeFileSync(join(corpus, 'broken.docx'), Buffer.from('PK\x03\x04 not really a zip'));
    const r = await run(['fingerprint', 'add', '--set', 'clinic', '--json', 'corpus'], { cwd: dir, env });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/skipped broken\.pdf: .*\[E_/);
    expect(r.stderr).toMatch(/skipped broken\.docx: .*\[E_/);
    expect(JSON.parse(r.stdout)).toMatchObject({ filesSeen: 16 });
    const stats = JSON.parse((await run(['fingerprint', 'stats', '--json', 'clinic'], { cwd: dir, env })).stdout);
    expect(stats.sources).toBe(16);
  });

  it('refuses two inputs with the same relative path instead of overwriting one', async () => {
    const { dir, env } = await setup();
    for (const d of ['a', 'b']) {
      mkdirSync(join(dir, d));
      writeFileSync(join(dir, d, 'x.txt'), `file in ${d}: ${'word '.repeat(40)}`);
    }
    const r = await run(['fingerprint', 'add', '--set', 's', '--json', 'a', 'b'], { cwd: dir, env });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/x\.txt: .*b\/x\.txt has the same relative path as .*a\/x\.txt/);
    expect(JSON.parse(r.stdout)).toMatchObject({ filesFingerprinted: 1, filesFailed: 1 });
  });

  it('fails with exit 2 and a clear message when there is no store or the set is unknown', async () => {
    const { dir, corpus, env } = await setup();
    const noStore = await run(['match', corpus], { cwd: dir, env });
    expect(noStore.exitCode).toBe(2);
    expect(noStore.stderr).toMatch(/no fingerprint store in .*fingerprints/);
    writeFileSync(join(dir, 'x'), `a note: ${'some words '.repeat(30)}`);
    expect((await run(['fingerprint', 'add', '--set', 'clinic', 'x'], { cwd: dir, env })).exitCode).toBe(0);
    const unknown = await run(['match', '--set', 'nope', 'x'], { cwd: dir, env });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/unknown fingerprint set: nope/);
  });
});
