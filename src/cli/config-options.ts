import { existsSync } from 'node:fs';
import { configPath, displayPath, formatProblem, loadConfig, type LeakwatchConfig } from '../config/index.js';
import { FatalError } from '../errors.js';
import type { CliIO } from './io.js';

/**
 * Loads and validates leakwatch.yaml for a command that needs it (`--config`, else
 * $LEAKWATCH_CONFIG, else ./leakwatch.yaml). Every problem is listed with its path.
 */
export function requireConfig(io: CliIO, option: string | undefined): LeakwatchConfig {
  const { file, explicit } = configPath(io.cwd, io.env, option);
  if (!explicit && !existsSync(file)) {
    throw new FatalError('E_CONFIG', `no ${displayPath(io.cwd, file)} here: write one with "leakwatch init", or pass --config`);
  }
  const result = loadConfig(file, { env: io.env });
  if (!result.ok) {
    const shown = (f: string): string => displayPath(io.cwd, f);
    const lines = result.problems.map((p) => `  ${formatProblem(p, shown)}`).join('\n');
    throw new FatalError('E_CONFIG', `${shown(file)} has ${result.problems.length} problem(s):\n${lines}`);
  }
  return result.config;
}
