import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Content-addressed files: `<root>/<first two hex>/<sha256>`. Written to a temporary name
 * and renamed, so a crash never leaves a half-written blob under its final name, and the same
 * bytes are stored once however often they are fetched.
 */
export class BlobStore {
  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  path(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  has(sha256: string): boolean {
    return existsSync(this.path(sha256));
  }

  put(bytes: Uint8Array): string {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const final = this.path(sha256);
    if (existsSync(final)) return sha256;
    mkdirSync(join(this.root, sha256.slice(0, 2)), { recursive: true });
    const tmp = `${final}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      writeFileSync(tmp, bytes, { flag: 'wx' });
      renameSync(tmp, final);
    } finally {
      rmSync(tmp, { force: true });
    }
    return sha256;
  }

  read(sha256: string): Buffer {
    return readFileSync(this.path(sha256));
  }
}
