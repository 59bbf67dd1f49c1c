import type { Command } from 'commander';
import { collectStatus } from '../../schedule/status.js';
import { renderStatus } from '../../schedule/status-render.js';
import { checkTor, renderTorLine, withTorStatus } from '../../schedule/tor-check.js';
import type { CommandContext } from '../context.js';
import { requireConfig } from '../config-options.js';
import { json } from '../table.js';

/**
 * `leakwatch status`: per site and mirror, what is up, what failed, what is next; the exit code
 * is the overall health for monitoring (0 healthy, 1 degraded, 2 failing; rule in
 * src/schedule/health.ts and docs/operations.md). A config that cannot be loaded is exit 2 too.
 */
export function registerStatus(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  program
    .command('status')
    .description('health of every site and mirror, alert deliveries, next runs; exit 0 healthy, 1 degraded, 2 failing')
    .option('-c, --config <file>', 'config file (default: $LEAKWATCH_CONFIG or ./leakwatch.yaml)')
    .option('--json', 'machine-readable report')
    .option('--check-tor', 'also check the local Tor client: SOCKS preflight, and bootstrap via the control port when configured')
    .action(async (o: { config?: string; json?: boolean; checkTor?: boolean }) => {
      const config = requireConfig(io, o.config);
      const base = collectStatus(config);
      const tor = o.checkTor ? await checkTor(config) : undefined;
      const report = tor ? withTorStatus(base, tor) : base;
      io.out(o.json ? json(report) : `${renderStatus(report)}${tor ? `${renderTorLine(tor)}\n` : ''}`);
      ctx.setExitCode(report.exitCode);
    });
}
