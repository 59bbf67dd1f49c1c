import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { configPath, displayPath, formatProblem } from '../../config/index.js';
import { FatalError } from '../../errors.js';
import { TSA_CERT_ENV } from '../../evidence/index.js';
import { CRAWL_DB } from '../../store/crawl-store.js';
import { hashPassword, loadWebSettings, startDashboard } from '../../web/index.js';
import type { CommandContext } from '../context.js';
import { parsePositiveInt } from '../store-options.js';

/**
 * `leakwatch serve`: the web dashboard (docs/dashboard.md) until SIGINT/SIGTERM.
 * `leakwatch web hash-password`: reads a password from stdin, prints the scrypt hash for
 * `web.users[].passwordHash`.
 */

const MAX_PASSWORD_BYTES = 1024;

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const c of stream as AsyncIterable<Buffer | string>) {
    const b = typeof c === 'string' ? Buffer.from(c) : c;
    total += b.length;
    if (total > MAX_PASSWORD_BYTES) throw new FatalError('E_USAGE', `the password on stdin is longer than ${MAX_PASSWORD_BYTES} bytes`);
    chunks.push(b);
  }
  // One trailing newline (from echo or a terminal) is not part of the password.
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function registerServe(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  program
    .command('serve')
    .description('web dashboard for cases, evidence and sites (binds 127.0.0.1; docs/dashboard.md)')
    .option('-c, --config <file>', 'config file (default: $LEAKWATCH_CONFIG or ./leakwatch.yaml)')
    .option('--host <address>', "address to bind (default: the config's web.host, 127.0.0.1); non-loopback needs web.users or web.proxyAuth")
    .option('--port <port>', "port (default: the config's web.port, 8470)", (v) => (v === '0' ? 0 : parsePositiveInt(v)))
    .option('--tsa-cert <file>', `pinned TSA certificate (PEM) to check packages' RFC 3161 timestamps (default: $${TSA_CERT_ENV})`)
    .option('--chromium <path>', 'Chromium executable for PDF reports (default: /usr/bin/chromium when present)')
    .action(async (o: { config?: string; host?: string; port?: number; tsaCert?: string; chromium?: string }) => {
      const { file, explicit } = configPath(io.cwd, io.env, o.config);
      if (!explicit && !existsSync(file)) throw new FatalError('E_CONFIG', `no ${displayPath(io.cwd, file)} here: write one with "leakwatch init", or pass --config`);
      const loaded = loadWebSettings(file, io.env);
      if (!loaded.ok) {
        const lines = loaded.problems.map((p) => `  ${formatProblem(p, (f) => displayPath(io.cwd, f))}`).join('\n');
        throw new FatalError('E_CONFIG', `${displayPath(io.cwd, file)} has ${loaded.problems.length} problem(s):\n${lines}`);
      }
      if (!existsSync(join(loaded.config.dataDir, CRAWL_DB))) throw new FatalError('E_USAGE', `no leakwatch database in ${displayPath(io.cwd, loaded.config.dataDir)}: run a crawl first`);
      const tsaCert = o.tsaCert ?? io.env[TSA_CERT_ENV];
      const dashboard = await startDashboard({
        config: loaded.config,
        web: loaded.web,
        ...(o.host ? { host: o.host } : {}),
        ...(o.port !== undefined ? { port: o.port } : {}),
        ...(tsaCert ? { tsaCertPath: resolve(io.cwd, tsaCert) } : {}),
        ...(o.chromium ? { chromiumPath: resolve(io.cwd, o.chromium) } : {}),
        log: (line) => io.err(`${line}\n`),
      });
      const how = dashboard.mode === 'local' ? 'no users configured: signed in automatically as "local" (loopback only)' : dashboard.mode === 'users' ? 'password sign-in' : 'reverse-proxy sign-in';
      io.out(`leakwatch dashboard on ${dashboard.url} (${how}); stop with Ctrl-C\n`);
      const signal = io.signal ?? new AbortController().signal;
      await new Promise<void>((resolveStop) => {
        if (signal.aborted) resolveStop();
        else signal.addEventListener('abort', () => resolveStop(), { once: true });
      });
      await dashboard.close();
    });

  program
    .command('web')
    .description('web dashboard helpers')
    .command('hash-password')
    .description('read a password from stdin and print its scrypt hash for web.users[].passwordHash')
    .action(async () => {
      const stdin = io.stdin ?? process.stdin;
      const password = await readStdin(stdin);
      if (password.length < 8) throw new FatalError('E_USAGE', 'the password must be at least 8 characters');
      io.out(`${await hashPassword(password)}\n`);
    });
}
