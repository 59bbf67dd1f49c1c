import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AbortError, FatalError } from '../../src/errors.js';
import { OcrPool, locateOcrData, ocrImage } from '../../src/extract/ocr/index.js';
import { renderScan } from '../../src/synth/index.js';
import { useTempDir } from '../helpers/tmp.js';
import { DOCS } from './helpers.js';

const tmp = useTempDir();

describe('OCR language data and worker pool', () => {
  it('uses the language data installed from npm, inside node_modules', () => {
    const loc = locateOcrData();
    expect(loc.langPath).toContain(`${sep}node_modules${sep}@tesseract.js-data${sep}eng${sep}`);
    expect(loc.file).toMatch(/eng\.traineddata\.gz$/);
  });

  it('gives a typed error naming the path when the language data is missing, and never downloads it', async () => {
    const empty = join(tmp(), 'no-data');
    mkdirSync(empty);
    expect(() => locateOcrData(empty)).toThrow(FatalError);
    const pool = new OcrPool({ langPath: empty });
    const err: unknown = await pool.recognize(Buffer.from('not used'), 'sample.png').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FatalError);
    expect(err).toMatchObject({ code: 'E_OCR_UNAVAILABLE' });
    expect((err as Error).message).toContain(join(empty, 'eng.traineddata.gz'));
    expect((err as Error).message).toMatch(/never downloaded/);
    // Refused before any tesseract worker (and so any fetch) was started.
    expect(pool.workersStarted).toBe(0);
    await pool.close();
  });

  it('starts workers lazily, reads text, cancels a running job on abort and refuses work once closed', async () => {
    const pool = new OcrPool({ workers: 1 });
    expect(pool.workersStarted).toBe(0);
    const png = await ocrImage({ label: 'image', kind: 'encoded', bytes: await renderScan(DOCS[1]!) }, 1e8, 'page.png');
    const r = await pool.recognize(png, 'page.png');
    expect(r.text).toContain(DOCS[1]!.patient.nhi);
    expect(pool.workersStarted).toBe(1);

    const ac = new AbortController();
    const pending = pool.recognize(png, 'page.png', ac.signal);
    // Let the job start (the slot frees a tick after the last job), then abort it mid-run.
    await new Promise((r) => setImmediate(r));
    ac.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    // The aborted job's worker was terminated; the next job gets a fresh one.
    const again = await pool.recognize(png, 'page.png');
    expect(again.text).toContain(DOCS[1]!.patient.nhi);
    expect(pool.workersStarted).toBe(2);

    // A job still waiting in the queue is dropped at once when its signal fires.
    const busy = pool.recognize(png, 'page.png');
    const ac2 = new AbortController();
    const queued = pool.recognize(png, 'queued.png', ac2.signal);
    ac2.abort();
    await expect(queued).rejects.toMatchObject({ code: 'E_ABORTED', input: 'queued.png' });
    expect((await busy).text).toContain(DOCS[1]!.patient.nhi);

    await pool.close();
    await expect(pool.recognize(png, 'page.png')).rejects.toBeInstanceOf(AbortError);
  });

  it('leaves nothing running: a process that used the pool exits by itself after close()', async () => {
    const dir = tmp();
    const png = await ocrImage({ label: 'image', kind: 'encoded', bytes: await renderScan(DOCS[3]!) }, 1e8, 'x.png');
    writeFileSync(join(dir, 'page.png'), png);
    const script = join(dir, 'child.mts');
    writeFileSync(
      script,
      [
        "import { readFileSync } from 'node:fs';",
        `import { OcrPool } from ${JSON.stringify(pathToFileURL(join(process.cwd(), 'src/extract/ocr/index.ts')).href)};`,
        `const png = readFileSync(${JSON.stringify(join(dir, 'page.png'))});`,
        'const pool = new OcrPool({ workers: 2 });',
        "const rs = await Promise.all([pool.recognize(png, 'a'), pool.recognize(png, 'b')]);",
        'await pool.close();',
        'console.log(JSON.stringify({ started: pool.workersStarted, text: rs[1].text }));',
      ].join('\n'),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    // A worker thread left running would keep the child alive: the test then fails on its time limit.
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, err: code === 0 ? '' : err }).toEqual({ code: 0, err: '' });
    const res = JSON.parse(out.trim().split('\n').pop()!) as { started: number; text: string };
    expect(res.started).toBe(Math.min(2, availableParallelism()));
    expect(res.text.toLowerCase()).toContain(DOCS[3]!.patient.nhi.toLowerCase());
  }, 120_000);
});
