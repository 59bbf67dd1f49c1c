import type { Command } from 'commander';
import { loadAlertSettings } from '../../alert/index.js';
import { runDaemon } from '../../schedule/daemon.js';
import { logSettings } from '../../schedule/settings.js';
import type { CommandContext } from '../context.js';
import { requireConfig } from '../config-options.js';
import { EXIT } from '../io.js';
import { cliLogger, type LogLevel } from '../logger.js';

const LEVELS = ['debug', 'info', 'warn', 'error'];

/**
 * `leakwatch daemon`: crawls every enabled site on its schedule until SIGTERM/SIGINT.
 * Exit 0 after a clean stop, 1 if in-flight work did not stop within shutdownTimeoutMs (the
 * process then exits anyway), 2 if it could not start (config, database, no sites).
 */
export function registerDaemon(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  program
    .command('daemon')
    .description('crawl every enabled site on its cron schedule until SIGTERM/SIGINT; deliver alerts on a timer (docs/operations.md)')
    .option('-c, --config <file>', 'config file (default: $LEAKWATCH_CONFIG or ./leakwatch.yaml)')
    .option('--log-level <level>', 'debug, info, warn or error (default: the config\'s log.level)')
    .action(async (o: { config?: string; logLevel?: string }) => {
      if (o.logLevel !== undefined && !LEVELS.includes(o.logLevel)) throw new Error(`--log-level must be one of ${LEVELS.join(', ')}`);
      const config = requireConfig(io, o.config);
      const log = cliLogger(io, (o.logLevel as LogLevel | undefined) ?? logSettings(config).level);
      const alerts = loadAlertSettings(config.file, io.env);
      // Without a signal (an in-process caller that passed none) the daemon would never stop.
      const signal = io.signal ?? new AbortController().signal;
      const result = await runDaemon({
        config,
        log,
        env: io.env,
        signal,
        ...(alerts.ok ? { alerts: { settings: alerts.alerts, secrets: alerts.envSecrets } } : {}),
      });
      if (!result.clean) {
        ctx.setExitCode(EXIT.MATCH);
        // The work that would not stop still holds sockets and timers, so the process would
        // linger past the promised bound: leave now. Locks are released by the exit hook; the
        // runs left "running" are closed as interrupted at the next start.
        process.exit(EXIT.MATCH);
      }
    });
}
