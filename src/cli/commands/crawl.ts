import type { Command } from 'commander';
import { loadAlertSettings } from '../../alert/index.js';
import { runCrawl } from '../../crawl/index.js';
import type { CommandContext } from '../context.js';
import { requireConfig } from '../config-options.js';
import { EXIT } from '../io.js';
import { cliLogger, type LogLevel } from '../logger.js';
import { json, table } from '../table.js';

export function registerCrawl(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  program
    .command('crawl')
    .description('crawl the configured leak sites through Tor once: new posts, samples downloaded and matched (exit 1 if a site failed)')
    .option('-c, --config <file>', 'config file (default: $LEAKWATCH_CONFIG or ./leakwatch.yaml)')
    .option('--site <id>', 'crawl only this site; repeat for several', (v: string, acc: string[] | undefined) => [...(acc ?? []), v])
    .option('--log-level <level>', 'debug, info, warn or error', 'info')
    .option('--json', 'print the per-site results as JSON')
    .action(async (o: { config?: string; site?: string[]; logLevel: LogLevel; json?: boolean }) => {
      const config = requireConfig(io, o.config);
      const log = cliLogger(io, o.logLevel);
      const alerts = loadAlertSettings(config.file, io.env);
      const summary = await runCrawl({
        config,
        log,
        env: io.env,
        ...(alerts.ok ? { alerts: { settings: alerts.alerts, secrets: alerts.envSecrets } } : {}),
        ...(o.site ? { siteIds: o.site } : {}),
        ...(io.signal ? { signal: io.signal } : {}),
      });
      if (o.json) io.out(json(summary));
      else {
        io.out(
          table(
            ['site', 'status', 'mirror', 'pages', 'posts', 'new', 'changed', 'samples', 'matches', 'note'],
            summary.sites.map((r) => [
              r.siteId,
              r.status,
              r.mirror ? new URL(r.mirror).hostname.slice(0, 16) + '…' : '—',
              String(r.pages),
              String(r.postsSeen),
              String(r.postsNew),
              String(r.postsChanged),
              String(r.samplesNew),
              String(r.matchesNew),
              r.reason ?? r.warnings[0] ?? '',
            ]),
          ),
        );
        if (!summary.matching) io.out('note: no fingerprint store, so samples were hashed but not matched\n');
      }
      if (summary.sites.some((r) => r.status !== 'ok' && r.status !== 'skipped')) ctx.setExitCode(EXIT.MATCH);
    });
}
