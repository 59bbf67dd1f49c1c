import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResponseTooLargeError } from '../../src/fetch/index.js';
import { useTempDir } from '../helpers/tmp.js';
import { useRig } from './helpers.js';

const MiB = 1024 * 1024;

/** Streams `total` bytes generated on the fly, hashing what it sends; honours backpressure. */
function streamer(total: number, sent: { sha256?: string; bytes: number }, declareLength = true) {
  const block = randomBytes(MiB);
  return (_req: unknown, res: ServerResponse): void => {
    const hash = createHash('sha256');
    res.writeHead(200, declareLength ? { 'content-type': 'application/zip', 'content-length': String(total) } : { 'content-type': 'application/zip' });
    let left = total;
    let counter = 0;
    const pump = (): void => {
      while (left > 0) {
        // Vary each block so a hash over repeated data cannot pass by accident.
        const chunk = Buffer.from(block.subarray(0, Math.min(MiB, left)));
        chunk.writeUInt32BE(counter++, 0);
        hash.update(chunk);
        left -= chunk.length;
        sent.bytes += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      sent.sha256 = hash.digest('hex');
      res.end();
    };
    pump();
  };
}

describe('download', () => {
  const rig = useRig();
  const tempDir = useTempDir('leakwatch-fetch-');

  it('streams 300 MB to disk with the SHA-256 computed on the fly and flat memory', async () => {
    const total = 300 * MiB;
    const sent = { bytes: 0 } as { sha256?: string; bytes: number };
    const r = await rig(streamer(total, sent));
    const dir = tempDir();
    const dest = join(dir, 'sample.zip');
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const started = performance.now();
    const result = await r.transport().download({ url: r.url('/files/sample.zip'), siteId: 's', dest, maxBytes: 2 * 1024 * MiB });
    const elapsedMs = performance.now() - started;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const growthMiB = (peak - baseline) / MiB;
    console.log(
      `download 300 MiB: ${Math.round(elapsedMs)} ms (${Math.round(total / MiB / (elapsedMs / 1000))} MiB/s), ` +
        `RSS baseline ${Math.round(baseline / MiB)} MiB, peak ${Math.round(peak / MiB)} MiB (+${growthMiB.toFixed(1)} MiB), ` +
        `timings ${JSON.stringify(result.timings)}`,
    );
    expect(result).toMatchObject({ path: dest, bytes: total, sha256: sent.sha256, contentType: 'application/zip', status: 200, transport: 'http' });
    expect(statSync(dest).size).toBe(total);
    expect(readdirSync(dir)).toEqual(['sample.zip']);
    // Proxy, target and client all live in this process; 300 MiB buffered anywhere would show.
    expect(growthMiB).toBeLessThan(100);
  });

  it('enforces the byte cap while streaming and leaves no partial file', async () => {
    const sent = { bytes: 0 } as { sha256?: string; bytes: number };
    // No Content-Length: the cap can only be enforced while streaming.
    const r = await rig(streamer(64 * MiB, sent, false));
    const dir = tempDir();
    const dest = join(dir, 'capped.bin');
    const err = await r.transport().download({ url: r.url('/x'), siteId: 's', dest, maxBytes: 5 * MiB }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(existsSync(dest)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    expect(sent.bytes).toBeLessThan(40 * MiB);
  });

  it('sniffs the type from the bytes, not the name', async () => {
    const r = await rig((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n', 'latin1')));
    const dest = join(tempDir(), 'renamed.txt');
    const result = await r.transport().download({ url: r.url('/renamed.txt'), siteId: 's', dest, maxBytes: MiB });
    expect(result.sniffed).toBe('pdf');
    expect(result.contentType).toBe('text/plain');
  });
});
