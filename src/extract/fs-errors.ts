/**
 * Filesystem errors as typed input errors: "not found" (a typo, a dangling symlink, a file
 * deleted mid-run) is told apart from "exists but cannot be read" (permissions, I/O errors).
 */
import { InputError } from '../errors.js';

export function fsInputError(err: unknown, input: string): InputError {
  if (err instanceof InputError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const detail = err instanceof Error ? err.message : String(err);
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new InputError('E_INPUT_NOT_FOUND', `not found (${code})`, { input, cause: err });
  }
  return new InputError('E_INPUT_UNREADABLE', `cannot be read: ${detail}`, { input, cause: err });
}
