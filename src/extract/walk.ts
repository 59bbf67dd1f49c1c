/**
 * The command line's files and folders → the files to extract, in a deterministic order.
 * Display paths are relative to the argument (`corpus/` → `notes/a.txt`; a file argument →
 * its base name) with POSIX separators, so fingerprints and reports do not depend on where
 * the corpus was mounted. Symlinked directories are not followed (loops, escaping the tree);
 * special files (FIFOs would block a reader forever) are reported, never opened.
 */
import type { Dirent, Stats } from 'node:fs';
import { constants } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { InputError, throwIfAborted } from '../errors.js';
import { toFailure } from './context.js';
import { fsInputError } from './fs-errors.js';
import type { ExtractFailure } from './types.js';

export interface WalkedFile {
  absPath: string;
  displayPath: string;
  size: number;
  mtimeMs: number;
}

export interface WalkOptions {
  signal?: AbortSignal;
}

/** Code-unit order: the same on every machine and locale. */
function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Regular files under `paths` (recursively for directories), or failures for what cannot be read. */
export async function* walkInputs(
  paths: string[],
  opts: WalkOptions = {},
): AsyncGenerator<WalkedFile | ExtractFailure> {
  for (const arg of paths) {
    throwIfAborted(opts.signal, arg);
    const abs = resolve(arg);
    let st: Stats;
    try {
      // stat, not lstat: a symlink named on the command line is followed on purpose.
      st = await stat(abs);
    } catch (err) {
      yield toFailure(arg, fsInputError(err, arg));
      continue;
    }
    if (st.isDirectory()) {
      yield* walkDir(abs, '', arg, new Set([`${st.dev}:${st.ino}`]), opts);
    } else {
      yield* fileOrFailure(abs, basename(abs), st);
    }
  }
}

async function* fileOrFailure(abs: string, display: string, st: Stats): AsyncGenerator<WalkedFile | ExtractFailure> {
  if (!st.isFile()) {
    yield toFailure(
      display,
      new InputError('E_INPUT_UNREADABLE', 'not a regular file (FIFO, socket or device); not read', { input: display }),
    );
    return;
  }
  try {
    await access(abs, constants.R_OK);
  } catch (err) {
    yield toFailure(display, fsInputError(err, display));
    return;
  }
  yield { absPath: abs, displayPath: display, size: st.size, mtimeMs: st.mtimeMs };
}

async function* walkDir(
  dirAbs: string,
  rel: string,
  arg: string,
  visited: Set<string>,
  opts: WalkOptions,
): AsyncGenerator<WalkedFile | ExtractFailure> {
  let entries: Dirent[];
  try {
    entries = await readdir(dirAbs, { withFileTypes: true });
  } catch (err) {
    const display = rel || arg;
    yield toFailure(display, fsInputError(err, display));
    return;
  }
  entries.sort(byName);
  for (const entry of entries) {
    const abs = join(dirAbs, entry.name);
    const display = rel ? `${rel}/${entry.name}` : entry.name;
    throwIfAborted(opts.signal, display);
    if (entry.isSymbolicLink()) {
      let target: Stats;
      try {
        target = await stat(abs);
      } catch (err) {
        const e = fsInputError(err, display);
        const reason = e.code === 'E_INPUT_NOT_FOUND' ? 'broken symbolic link (target missing)' : e.message;
        yield toFailure(display, new InputError(e.code, reason, { input: display, cause: err }));
        continue;
      }
      if (target.isDirectory()) {
        yield toFailure(
          display,
          new InputError('E_UNSUPPORTED', 'symbolic link to a directory not followed', { input: display }),
        );
        continue;
      }
      yield* fileOrFailure(abs, display, target);
      continue;
    }
    let st: Stats;
    try {
      st = await stat(abs);
    } catch (err) {
      yield toFailure(display, fsInputError(err, display));
      continue;
    }
    if (st.isDirectory()) {
      // dev:ino guards against loops that do not go through symlinks (bind mounts).
      const key = `${st.dev}:${st.ino}`;
      if (visited.has(key)) continue;
      visited.add(key);
      yield* walkDir(abs, display, arg, visited, opts);
    } else {
      yield* fileOrFailure(abs, display, st);
    }
  }
}
