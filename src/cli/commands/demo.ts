import type { Command } from 'commander';
import { runDemo } from '../../demo/index.js';
import type { CommandContext } from '../context.js';
import { EXIT } from '../io.js';
import { cliLogger } from '../logger.js';
import { parsePositiveInt } from '../store-options.js';
import { json } from '../table.js';

export function registerDemo(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  program
    .command('demo')
    .description('run the pipeline end to end on a generated corpus, offline (nothing real is touched)')
    .option('--dir <dir>', 'keep everything in this folder (default: a temporary folder, removed afterwards)')
    .option('--keep', 'keep the temporary folder')
    .option('--documents <n>', 'size of the synthetic corpus', parsePositiveInt, 60)
    .option('--json', 'print the outcome as JSON')
    .action(async (o: { dir?: string; keep?: boolean; documents: number; json?: boolean }) => {
      const r = await runDemo({
        ...(o.dir ? { dir: o.dir } : {}),
        ...(o.keep ? { keep: true } : {}),
        documents: o.documents,
        out: o.json ? () => {} : io.out,
        err: io.err,
        isTTY: io.isTTY,
        // The demo narrates; the crawler's own log shows only problems.
        log: cliLogger(io, 'error'),
        ...(io.signal ? { signal: io.signal } : {}),
      });
      if (o.json) io.out(json(r));
      if (!r.ok) ctx.setExitCode(EXIT.ERROR);
    });
}
