import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { configPath, displayPath, STARTER_CONFIG } from '../../config/index.js';
import { FatalError } from '../../errors.js';
import type { RegisterCommand } from '../context.js';

/** `leakwatch init`: writes the commented starter config; never overwrites without --force. */
export const registerInit: RegisterCommand = (program, ctx) => {
  program
    .command('init')
    .description('write a commented starter leakwatch.yaml')
    .option('-c, --config <file>', 'file to write (default: ./leakwatch.yaml)')
    .option('--force', 'overwrite an existing file')
    .action((opts: { config?: string; force?: boolean }) => {
      const { file } = configPath(ctx.io.cwd, ctx.io.env, opts.config);
      mkdirSync(dirname(file), { recursive: true });
      try {
        // 'wx' fails if the file exists: no check-then-write race.
        writeFileSync(file, STARTER_CONFIG, { flag: opts.force ? 'w' : 'wx', mode: 0o600 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
          throw new FatalError('E_USAGE', `${displayPath(ctx.io.cwd, file)} already exists; use --force to overwrite it`);
        }
        throw new FatalError('E_CONFIG', `cannot write ${file}: ${(err as Error).message}`, { cause: err });
      }
      ctx.io.out(`wrote ${displayPath(ctx.io.cwd, file)}\nnext: edit it, then run: leakwatch config check\n`);
    });
};
