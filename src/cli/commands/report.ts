import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option } from 'commander';
import { listCases } from '../../alert/index.js';
import { FatalError } from '../../errors.js';
import { TSA_CERT_ENV } from '../../evidence/index.js';
import { exportReport, type ReportFormat } from '../../report/index.js';
import type { RegisterCommand } from '../context.js';
import { parsePositiveInt } from '../store-options.js';
import { json } from '../table.js';
import { addDataOptions, dataDirOf, openAlertStore, type DataOptions } from './alerts.js';

/**
 * `leakwatch report --case <id> --format pdf|html`: the legal report of one case, written to
 * a file (default ./case-<id>-report.<ext>); prints its path and SHA-256 and records the
 * export in the custody log when the evidence keys exist. Exit 2 for an unknown case.
 */

interface ReportOptions extends DataOptions {
  case: number;
  format: ReportFormat;
  out?: string;
  force?: boolean;
  actor: string;
  tsaCert?: string;
  chromium?: string;
  json?: boolean;
}

export const registerReport: RegisterCommand = (program, ctx) => {
  const { io } = ctx;
  addDataOptions(
    program
      .command('report')
      .description('write the legal report of a case (timeline, exposure, evidence packages, verification, draft notice) as PDF or HTML')
      .requiredOption('--case <id>', 'case id (see "leakwatch cases list")', parsePositiveInt)
      .addOption(new Option('--format <format>', 'pdf (printed with Chromium) or html (self-contained)').choices(['pdf', 'html']).makeOptionMandatory())
      .option('--out <file>', 'output file (default: ./case-<id>-report.<format>)')
      .option('--force', 'replace the output file if it exists')
      .option('--actor <name>', 'who asked for the report, for the custody log', 'operator')
      .option('--tsa-cert <file>', `pinned TSA certificate (PEM) to check the packages' RFC 3161 timestamps (default: $${TSA_CERT_ENV})`)
      .option('--chromium <path>', 'Chromium executable for --format pdf (default: /usr/bin/chromium when present)')
      .option('--json', 'print the result as JSON'),
  ).action(async (o: ReportOptions) => {
    const store = openAlertStore(ctx, o);
    try {
      const tsaCert = o.tsaCert ?? io.env[TSA_CERT_ENV];
      const tsaCertPath = tsaCert ? resolve(io.cwd, tsaCert) : undefined;
      if (tsaCertPath && !existsSync(tsaCertPath)) throw new FatalError('E_INPUT_NOT_FOUND', `${tsaCertPath} does not exist`);
      const r = await exportReport(store, {
        dataDir: dataDirOf(ctx, o),
        caseId: o.case,
        format: o.format,
        ...(o.out ? { outPath: resolve(io.cwd, o.out) } : {}),
        cwd: io.cwd,
        force: o.force === true,
        actor: o.actor,
        now: new Date(),
        ...(tsaCertPath ? { tsaCertPath } : {}),
        ...(o.chromium ? { executablePath: resolve(io.cwd, o.chromium) } : {}),
        ...(io.signal ? { signal: io.signal } : {}),
      });
      if (!r) {
        const known = listCases(store).map((c) => c.id).sort((a, b) => a - b);
        throw new FatalError('E_USAGE', `no case ${o.case}; known cases: ${known.length ? known.join(', ') : 'none (no crawl has matched anything yet)'}`);
      }
      if (o.json) {
        const { custodyEntry, ...rest } = r;
        io.out(json({ ...rest, ...(custodyEntry ? { custody: { seq: custodyEntry.seq, hash: custodyEntry.hash } } : {}) }));
        return;
      }
      if (r.requestedCaseId !== r.caseId) io.out(`case ${r.requestedCaseId} was merged into case ${r.caseId}\n`);
      io.out(`${r.path}\nsha256 ${r.sha256} (${r.bytes} bytes)\n`);
      io.out(r.custodyEntry ? `recorded as custody-log entry ${r.custodyEntry.seq} (export)\n` : 'not recorded in a custody log: there are no evidence keys ("leakwatch keys init")\n');
      if (r.packagesWithProblems) io.err(`warning: ${r.packagesWithProblems} of ${r.packages} evidence package(s) did not verify; the report lists the problems\n`);
    } finally {
      store.close();
    }
  });
};
