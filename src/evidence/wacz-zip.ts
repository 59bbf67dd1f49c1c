import yazl from 'yazl';

/**
 * The WACZ zip: every entry STORED (WACZ readers seek into the WARC by offset; gzip members
 * are compressed already), in a fixed order, all with the DOS epoch as date and no extended
 * timestamp field. yazl converts dates with the local time zone, so a real date would make the
 * bytes depend on the machine's TZ; the package's creation time is in datapackage.json instead.
 */

const FIXED_DATE = new Date(1980, 0, 1, 0, 0, 0);

export function buildZip(files: { path: string; data: Uint8Array }[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
    for (const f of files) {
      // forceDosTimestamp is a yazl option the local typings do not declare.
      const options = { mtime: FIXED_DATE, mode: 0o100644, compress: false, forceDosTimestamp: true };
      zip.addBuffer(Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength), f.path, options);
    }
    zip.end();
  });
}
