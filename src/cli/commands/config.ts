import { configJsonSchema, configPath, displayPath, formatProblem, loadConfig, siteJsonSchema } from '../../config/index.js';
import type { RegisterCommand } from '../context.js';
import { EXIT } from '../io.js';

/** `leakwatch config check|schema`: validate the config (all problems at once), export schemas. */
export const registerConfig: RegisterCommand = (program, ctx) => {
  const config = program.command('config').description('check the configuration, print its JSON Schema');

  config
    .command('check')
    .description('validate the config file and every site definition; exit 2 if there are problems')
    .option('-c, --config <file>', 'config file (default: $LEAKWATCH_CONFIG or ./leakwatch.yaml)')
    .option('--json', 'machine-readable output')
    .action((opts: { config?: string; json?: boolean }) => {
      const { file } = configPath(ctx.io.cwd, ctx.io.env, opts.config);
      const shown = (f: string): string => displayPath(ctx.io.cwd, f);
      const result = loadConfig(file, { env: ctx.io.env });
      if (!result.ok) {
        ctx.setExitCode(EXIT.ERROR);
        if (opts.json) {
          ctx.io.out(`${JSON.stringify({ ok: false, file: result.file, problems: result.problems }, null, 2)}\n`);
          return;
        }
        const n = result.problems.length;
        ctx.io.out(`${shown(file)}: ${n} problem${n === 1 ? '' : 's'}\n`);
        for (const p of result.problems) ctx.io.out(`  ${formatProblem(p, shown)}\n`);
        return;
      }
      const c = result.config;
      if (opts.json) {
        const sites = c.sites.map(({ site, source }) => ({ id: site.id, name: site.name, enabled: site.enabled, transport: site.transport, mirrors: site.mirrors.length, source: source.kind, file: source.file }));
        ctx.io.out(`${JSON.stringify({ ok: true, file: c.file, tor: { socksHost: c.tor.socksHost, socksPort: c.tor.socksPort }, dataDir: c.dataDir, fingerprintsDir: c.fingerprintsDir, sites }, null, 2)}\n`);
        return;
      }
      const ids = c.sites.map((s) => s.site.id + (s.site.enabled ? '' : ' (disabled)'));
      ctx.io.out(
        [
          `${shown(file)}: OK`,
          `  tor           socks5h://${c.tor.socksHost}:${c.tor.socksPort}${c.tor.controlPort ? `, control port ${c.tor.controlPort}` : ''}`,
          `  data          ${c.dataDir}`,
          `  fingerprints  ${c.fingerprintsDir} (${c.fingerprintSets.length ? c.fingerprintSets.join(', ') : 'all sets'})`,
          `  sites         ${c.sites.length}${ids.length ? `: ${ids.join(', ')}` : ' — add some under sites: (see leakwatch sites list --builtin)'}`,
          '',
        ].join('\n'),
      );
    });

  config
    .command('schema')
    .description('print the JSON Schema of leakwatch.yaml (for editors)')
    .option('--site', 'print the schema of a single site definition file instead')
    .action((opts: { site?: boolean }) => {
      ctx.io.out(`${JSON.stringify(opts.site ? siteJsonSchema() : configJsonSchema(), null, 2)}\n`);
    });
};
