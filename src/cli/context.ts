import type { Command } from 'commander';
import type { CliIO } from './io.js';

/** What every command module receives: the shared IO and a way to set the exit code. */
export interface CommandContext {
  io: CliIO;
  setExitCode(code: number): void;
}

export type RegisterCommand = (program: Command, ctx: CommandContext) => void;
