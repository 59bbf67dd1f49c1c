import { Readable } from 'node:stream';
import { createDeflateRaw, crc32 } from 'node:zlib';
import { deriveSeed, Rng } from '../synth/index.js';
import { buildZip, zipEntry, type ZipEntryData } from './zip-writer.js';

/**
 * Hostile samples: a huge file generated while it is streamed (any size, constant memory) and
 * zip bombs whose compressed member is made once and shared by every entry.
 */

const BLOCK_BYTES = 1024 * 1024;
/** The huge file starts like a 7-Zip volume, as leak-site "full dump" parts do. */
const SEVEN_ZIP_MAGIC = Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04]);

const blockCache = new Map<number, Buffer>();

/** One 1 MiB block of seeded incompressible bytes, repeated through the huge file. */
function hugeBlock(seed: number): Buffer {
  let block = blockCache.get(seed);
  if (!block) {
    const rng = new Rng(deriveSeed(seed, 'sim-huge-file'));
    block = Buffer.alloc(BLOCK_BYTES);
    for (let i = 0; i < BLOCK_BYTES; i += 4) block.writeUInt32LE(rng.uint32(), i);
    blockCache.set(seed, block);
  }
  return block;
}

/** Byte `offset` of the huge file, for tests that spot-check content. */
export function hugeFileByteAt(seed: number, offset: number): number {
  if (offset < SEVEN_ZIP_MAGIC.length) return SEVEN_ZIP_MAGIC[offset] as number;
  return hugeBlock(seed)[offset % BLOCK_BYTES] as number;
}

/**
 * Bytes [start, endInclusive] of a huge file of any size, produced as they are read. Chunks
 * are views of one shared block (no per-chunk allocation) and respect backpressure, so memory
 * stays flat however many gigabytes flow.
 */
export function hugeFileStream(seed: number, start: number, endInclusive: number): Readable {
  const block = hugeBlock(seed);
  let pos = start;
  return new Readable({
    highWaterMark: 256 * 1024,
    read(size) {
      while (pos <= endInclusive) {
        const inBlock = pos % BLOCK_BYTES;
        const len = Math.min(size, BLOCK_BYTES - inBlock, endInclusive - pos + 1);
        let chunk = block.subarray(inBlock, inBlock + len);
        if (pos < SEVEN_ZIP_MAGIC.length) {
          chunk = Buffer.from(chunk);
          for (let i = pos; i < SEVEN_ZIP_MAGIC.length && i - pos < len; i++) chunk[i - pos] = SEVEN_ZIP_MAGIC[i] as number;
        }
        pos += len;
        if (!this.push(chunk)) return;
      }
      this.push(null);
    },
  });
}

interface ZeroMember {
  compressed: Buffer;
  crc32: number;
}

const zeroCache = new Map<number, Promise<ZeroMember>>();

/** `bytes` zero bytes, deflated by streaming 1 MiB chunks (never allocating `bytes`). */
function deflatedZeros(bytes: number): Promise<ZeroMember> {
  let hit = zeroCache.get(bytes);
  if (!hit) {
    hit = new Promise<ZeroMember>((resolve, reject) => {
      const zeros = Buffer.alloc(Math.min(BLOCK_BYTES, Math.max(bytes, 1)));
      const out: Buffer[] = [];
      let crc = 0;
      const deflate = createDeflateRaw({ level: 9 });
      deflate.on('data', (c: Buffer) => out.push(c));
      deflate.on('error', reject);
      deflate.on('end', () => resolve({ compressed: Buffer.concat(out), crc32: crc }));
      let left = bytes;
      const pump = (): void => {
        while (left > 0) {
          const n = Math.min(left, zeros.length);
          const chunk = n === zeros.length ? zeros : zeros.subarray(0, n);
          crc = crc32(chunk, crc);
          left -= n;
          if (!deflate.write(chunk)) {
            deflate.once('drain', pump);
            return;
          }
        }
        deflate.end();
      };
      pump();
    });
    zeroCache.set(bytes, hit);
  }
  return hit;
}

export interface ZipBombShape {
  members: number;
  memberBytes: number;
  /** Wrap the bomb this many times in an outer zip (a "42.zip"-style nested bomb); 0 = flat. */
  nested?: number;
}

/**
 * A zip whose `members` entries each inflate to `memberBytes` zero bytes (honest headers:
 * the ratio, ~1000:1, is what a reader must refuse). With `nested`, an outer zip holds that
 * many copies of the flat bomb, each deflated again.
 */
export async function zipBomb(shape: ZipBombShape): Promise<Buffer> {
  const { members, memberBytes } = shape;
  if (!Number.isInteger(members) || members < 1 || members > 65_535) throw new RangeError('zip bomb members must be 1..65535');
  if (!Number.isInteger(memberBytes) || memberBytes < 1 || memberBytes > 0xffffffff) throw new RangeError('zip bomb memberBytes must be 1..4 GiB-1');
  const zero = await deflatedZeros(memberBytes);
  const entries: ZipEntryData[] = [];
  for (let i = 1; i <= members; i++) {
    entries.push({ name: `records/export-${String(i).padStart(3, '0')}.csv`, method: 8, compressed: zero.compressed, crc32: zero.crc32, uncompressedBytes: memberBytes });
  }
  const flat = buildZip(entries);
  const nested = shape.nested ?? 0;
  if (nested <= 0) return flat;
  const inner = zipEntry('volume.zip', flat);
  return buildZip(Array.from({ length: nested }, (_, i) => ({ ...inner, name: `volume-${i + 1}.zip` })));
}
