import { Command, CommanderError } from 'commander';
import { errorCode, errorMessage, LeakwatchError } from '../errors.js';
import { captureIO, EXIT, type CliIO, type RunResult } from './io.js';
import type { CommandContext } from './context.js';
import { COMMANDS } from './commands/index.js';
import { VERSION } from './version.js';

/**
 * The whole CLI as a function: parse argv, run the command, return exit code and output.
 * Nothing here calls process.exit, so tests run it in-process.
 */
export async function run(argv: string[], ioOverrides: Partial<CliIO> = {}): Promise<RunResult> {
  const io = captureIO(ioOverrides);
  let exitCode: number = EXIT.OK;
  const ctx: CommandContext = {
    io,
    setExitCode: (code) => {
      exitCode = Math.max(exitCode, code);
    },
  };
  const program = new Command('leakwatch')
    .description('Watch ransomware leak sites over Tor and prove when known-stolen documents are republished.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  for (const register of COMMANDS) register(program, ctx);
  // Subcommands inherit output and exit handling.
  const inherit = (cmd: Command): void => {
    for (const sub of cmd.commands) {
      sub.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
      inherit(sub);
    }
  };
  inherit(program);

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are successful exits; everything else commander rejects is usage.
      exitCode = err.exitCode === 0 ? EXIT.OK : EXIT.ERROR;
    } else {
      io.err(`leakwatch: ${errorMessage(err)}${err instanceof LeakwatchError ? '' : ` [${errorCode(err)}]`}\n`);
      exitCode = EXIT.ERROR;
    }
  }
  return { exitCode, stdout: io.stdoutText(), stderr: io.stderrText() };
}
