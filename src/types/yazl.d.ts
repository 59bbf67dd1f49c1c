// yazl ships no typings; the part the extraction tests use.
declare module 'yazl' {
  import type { Readable } from 'node:stream';

  interface AddOptions {
    mtime?: Date;
    mode?: number;
    compress?: boolean;
    compressionLevel?: number;
  }

  export class ZipFile {
    outputStream: Readable;
    addBuffer(buffer: Buffer, metadataPath: string, options?: AddOptions): void;
    addEmptyDirectory(metadataPath: string, options?: AddOptions): void;
    end(options?: unknown, callback?: () => void): void;
  }

  const yazl: { ZipFile: typeof ZipFile };
  export default yazl;
}
