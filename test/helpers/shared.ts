import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The project's root directory. */
export const PROJECT_ROOT = projectRoot;

/** `../shared` beside the project, or undefined when it is absent (then tests skip, saying why). */
export function sharedDir(): string | undefined {
  const dir = join(projectRoot, '..', 'shared');
  return existsSync(join(dir, 'README.md')) ? dir : undefined;
}

/** Path of a file under `../shared`, or undefined when that file is absent. */
export function sharedPath(...parts: string[]): string | undefined {
  const dir = sharedDir();
  if (!dir) return undefined;
  const p = join(dir, ...parts);
  return existsSync(p) ? p : undefined;
}

export const SHARED_MISSING = 'skipped: ../shared (reference fixtures beside the project) is absent';

/** Path of a committed fixture under test/fixtures. */
export function fixturePath(...parts: string[]): string {
  return join(projectRoot, 'test', 'fixtures', ...parts);
}
