import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { configPath, displayPath, formatProblem, loadBuiltinSite, loadConfig, type LoadedSite } from '../../config/index.js';
import { FatalError, InputError } from '../../errors.js';
import {
  applyHook, builtinSiteIds, extractListing, extractPostPage, formatListingOutcome, formatPostOutcome, listingUrl, loadHook,
} from '../../sites/index.js';
import type { CommandContext, RegisterCommand } from '../context.js';
import { EXIT } from '../io.js';

/**
 * `leakwatch sites list|test`. Sites come from the config when there is one (explicit
 * --config, $LEAKWATCH_CONFIG, or ./leakwatch.yaml), else from the shipped definitions.
 */

interface SiteRow {
  loaded: LoadedSite;
}

function loadSites(ctx: CommandContext, option: string | undefined, builtinOnly: boolean): { rows: SiteRow[]; from: string } {
  const { file, explicit } = configPath(ctx.io.cwd, ctx.io.env, option);
  if (!builtinOnly && (explicit || existsSync(file))) {
    const result = loadConfig(file, { env: ctx.io.env });
    if (!result.ok) {
      const shown = (f: string): string => displayPath(ctx.io.cwd, f);
      const lines = result.problems.map((p) => `  ${formatProblem(p, shown)}`).join('\n');
      throw new FatalError('E_CONFIG', `${shown(file)} has ${result.problems.length} problem(s); run leakwatch config check\n${lines}`);
    }
    return { rows: result.config.sites.map((loaded) => ({ loaded })), from: displayPath(ctx.io.cwd, file) };
  }
  const rows: SiteRow[] = [];
  for (const id of builtinSiteIds()) {
    const r = loadBuiltinSite(id, ctx.io.env);
    if (r.ok) rows.push({ loaded: r.loaded });
    else ctx.io.err(`leakwatch: shipped definition ${id} is invalid: ${r.problems.map((p) => formatProblem(p)).join('; ')}\n`);
  }
  return { rows, from: 'shipped definitions' };
}

function findSite(ctx: CommandContext, id: string, option: string | undefined): LoadedSite {
  const { file, explicit } = configPath(ctx.io.cwd, ctx.io.env, option);
  if (explicit || existsSync(file)) {
    const found = loadSites(ctx, option, false).rows.find((r) => r.loaded.site.id === id);
    if (found) return found.loaded;
  }
  const r = loadBuiltinSite(id, ctx.io.env);
  if (!r.ok) throw new FatalError('E_USAGE', r.problems.map((p) => formatProblem(p)).join('; '));
  return r.loaded;
}

export const registerSites: RegisterCommand = (program, ctx) => {
  const sites = program.command('sites').description('list site definitions; test one on a saved page');

  sites
    .command('list')
    .description('list the configured sites (or the shipped definitions when there is no config)')
    .option('-c, --config <file>', 'config file (default: $LEAKWATCH_CONFIG or ./leakwatch.yaml)')
    .option('--builtin', 'list the definitions shipped with leakwatch')
    .option('--json', 'machine-readable output')
    .action((opts: { config?: string; builtin?: boolean; json?: boolean }) => {
      const { rows, from } = loadSites(ctx, opts.config, Boolean(opts.builtin));
      const data = rows.map(({ loaded: { site, source } }) => ({
        id: site.id,
        name: site.name,
        enabled: site.enabled,
        transport: site.transport,
        mode: site.api ? 'json' : 'html',
        mirrors: site.mirrors,
        schedule: site.schedule ? `${site.schedule.cron} ${site.schedule.timezone}` : undefined,
        hook: Boolean(site.hook),
        source: source.kind,
      }));
      if (opts.json) {
        ctx.io.out(`${JSON.stringify({ from, sites: data }, null, 2)}\n`);
        return;
      }
      const table = [['id', 'name', 'transport', 'mode', 'mirrors', 'schedule', 'source']];
      for (const d of data) {
        table.push([d.id + (d.enabled ? '' : ' (off)'), d.name, d.transport, d.mode + (d.hook ? '+hook' : ''), String(d.mirrors.length), d.schedule ?? '-', d.source]);
      }
      const widths = table[0]?.map((_, c) => Math.max(...table.map((r) => (r[c] ?? '').length))) ?? [];
      ctx.io.out(`${from}: ${data.length} site${data.length === 1 ? '' : 's'}\n`);
      for (const r of table) ctx.io.out(`  ${r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd()}\n`);
    });

  sites
    .command('test')
    .description('run a site definition offline on a saved page and show what it extracts (exit 2 unless the outcome is ok)')
    .argument('<site>', 'site id (from the config, else a shipped definition)')
    .requiredOption('--html <file>', 'saved page (HTML, or the JSON response for API sites)')
    .option('--url <url>', 'URL the page was fetched from (default: the listing URL on the first mirror)')
    .option('--post', 'treat the page as a post page (run the post section)')
    .option('--now <iso-time>', 'capture time, for countdowns and relative dates (default: now)')
    .option('-c, --config <file>', 'config file (default: $LEAKWATCH_CONFIG or ./leakwatch.yaml)')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { html: string; url?: string; post?: boolean; now?: string; config?: string; json?: boolean }) => {
      const { site, source } = findSite(ctx, id, opts.config);
      const htmlFile = resolve(ctx.io.cwd, opts.html);
      let body: Buffer;
      try {
        body = readFileSync(htmlFile);
      } catch (err) {
        throw new InputError('E_INPUT_NOT_FOUND', `cannot read saved page: ${(err as Error).message}`, { input: opts.html, cause: err });
      }
      const now = opts.now ? new Date(opts.now) : new Date();
      if (Number.isNaN(now.getTime())) throw new FatalError('E_USAGE', `--now: not a date/time: ${opts.now}`);
      const mirror = site.mirrors[0] ?? '';
      const url = opts.url ?? (opts.post ? mirror : listingUrl(site, mirror));
      const input = { body, url, now };

      const header = (): void => {
        ctx.io.out(`site      ${site.id} (${site.name}), ${site.api ? 'JSON API' : 'HTML'}, definition ${displayPath(ctx.io.cwd, source.file)}\n`);
        ctx.io.out(`file      ${displayPath(ctx.io.cwd, htmlFile)}\nurl       ${url}\n`);
      };
      const report = (outcome: object & { status: string }, text: () => string): void => {
        if (outcome.status !== 'ok') ctx.setExitCode(EXIT.ERROR);
        if (opts.json) {
          ctx.io.out(`${JSON.stringify({ site: site.id, definition: source.file, file: htmlFile, url, outcome }, null, 2)}\n`);
          return;
        }
        header();
        ctx.io.out(text());
      };

      if (opts.post) {
        const outcome = extractPostPage(site, input);
        report(outcome, () => formatPostOutcome(outcome));
        return;
      }
      let outcome = extractListing(site, input);
      // A site's code hook post-processes the declarative result, exactly as in a crawl.
      const hook = await loadHook(site);
      if (hook) outcome = await applyHook(hook, { site, url, text: body.toString('utf8'), now, outcome });
      const final = outcome;
      report(final, () => formatListingOutcome(final));
    });
};
