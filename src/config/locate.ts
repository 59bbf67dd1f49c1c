import { isAbsolute, relative, resolve } from 'node:path';

/** The default config file name, in the current directory. */
export const DEFAULT_CONFIG_FILE = 'leakwatch.yaml';

/**
 * Which config file a command uses: `--config`, else $LEAKWATCH_CONFIG, else
 * ./leakwatch.yaml. `explicit` tells whether the user named it (then a missing file is an
 * error rather than "no config yet").
 */
export function configPath(cwd: string, env: NodeJS.ProcessEnv, option?: string): { file: string; explicit: boolean } {
  if (option) return { file: resolve(cwd, option), explicit: true };
  const fromEnv = env.LEAKWATCH_CONFIG;
  if (fromEnv) return { file: resolve(cwd, fromEnv), explicit: true };
  return { file: resolve(cwd, DEFAULT_CONFIG_FILE), explicit: false };
}

/** A path as the user should see it: relative to cwd when inside it, else absolute. */
export function displayPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
