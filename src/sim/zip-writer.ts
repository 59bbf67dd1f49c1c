import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A minimal zip writer for simulated samples (proof packs, zip bombs). Written here rather
 * than using yazl because yazl is a dev dependency and the simulator also backs `leakwatch
 * demo`; and because a bomb needs entries whose compressed bytes are prepared once and reused.
 * No zip64: every member stays below 4 GiB (checked).
 */

export interface ZipEntryData {
  name: string;
  /** 0 = stored, 8 = deflate. */
  method: 0 | 8;
  /** The member's bytes as stored in the archive. */
  compressed: Uint8Array;
  crc32: number;
  uncompressedBytes: number;
}

const MAX_ZIP32 = 0xffffffff;
/** 2020-01-01 00:00 in DOS format: fixed so archives are byte-identical across runs. */
const DOS_TIME = 0;
const DOS_DATE = ((2020 - 1980) << 9) | (1 << 5) | 1;

/** An entry from plain bytes: deflated unless that does not help (already compressed data). */
export function zipEntry(name: string, data: Uint8Array): ZipEntryData {
  const deflated = deflateRawSync(data, { level: 9 });
  const useDeflate = deflated.length < data.length;
  return { name, method: useDeflate ? 8 : 0, compressed: useDeflate ? deflated : data, crc32: crc32(data), uncompressedBytes: data.length };
}

function localHeader(e: ZipEntryData, nameBytes: Buffer): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4); // version needed
  h.writeUInt16LE(0x0800, 6); // UTF-8 names
  h.writeUInt16LE(e.method, 8);
  h.writeUInt16LE(DOS_TIME, 10);
  h.writeUInt16LE(DOS_DATE, 12);
  h.writeUInt32LE(e.crc32 >>> 0, 14);
  h.writeUInt32LE(e.compressed.length, 18);
  h.writeUInt32LE(e.uncompressedBytes, 22);
  h.writeUInt16LE(nameBytes.length, 26);
  h.writeUInt16LE(0, 28);
  return h;
}

function centralHeader(e: ZipEntryData, nameBytes: Buffer, offset: number): Buffer {
  const h = Buffer.alloc(46);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE(0x031e, 4); // made by: unix, 3.0
  h.writeUInt16LE(20, 6);
  h.writeUInt16LE(0x0800, 8);
  h.writeUInt16LE(e.method, 10);
  h.writeUInt16LE(DOS_TIME, 12);
  h.writeUInt16LE(DOS_DATE, 14);
  h.writeUInt32LE(e.crc32 >>> 0, 16);
  h.writeUInt32LE(e.compressed.length, 20);
  h.writeUInt32LE(e.uncompressedBytes, 24);
  h.writeUInt16LE(nameBytes.length, 28);
  h.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attrs: regular file, rw-r--r--
  h.writeUInt32LE(offset, 42);
  return h;
}

/** The whole archive as one buffer (members are small or shared, so this stays small). */
export function buildZip(entries: readonly ZipEntryData[]): Buffer {
  const parts: Uint8Array[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    if (e.uncompressedBytes > MAX_ZIP32 || e.compressed.length > MAX_ZIP32) throw new RangeError(`zip member ${e.name} is too large for zip32`);
    const name = Buffer.from(e.name, 'utf8');
    const local = localHeader(e, name);
    central.push(centralHeader(e, name, offset), name);
    parts.push(local, name, e.compressed);
    offset += local.length + name.length + e.compressed.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}
