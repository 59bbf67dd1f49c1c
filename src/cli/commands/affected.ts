import { InvalidArgumentError } from 'commander';
import { FatalError } from '../../errors.js';
import { affectedCsv, affectedReport } from '../../records/index.js';
import { caseRecordAppearances } from '../../store/sample-records.js';
import type { RegisterCommand } from '../context.js';
import { parsePositiveInt } from '../store-options.js';
import { json } from '../table.js';
import { addDataOptions, openAlertStore, type DataOptions } from './alerts.js';

function parseFormat(v: string): 'csv' | 'json' {
  if (v !== 'csv' && v !== 'json') throw new InvalidArgumentError('expected csv or json');
  return v;
}

/**
 * `leakwatch affected --case ID`: the patient records a case exposes, by record key (the
 * victim's own id; never a name or number from the record), with the fields exposed, where
 * and when — for the victim to map to people and notify. docs/records.md.
 */
export const registerAffected: RegisterCommand = (program, ctx) => {
  const { io } = ctx;
  addDataOptions(
    program
      .command('affected')
      .description('the patient records a case exposes, by record key, with fields, where and when (CSV or JSON)')
      .requiredOption('--case <id>', 'case id (leakwatch cases list)', parsePositiveInt)
      .option('--format <format>', 'csv or json', parseFormat, 'csv'),
  ).action((o: DataOptions & { case: number; format: 'csv' | 'json' }) => {
    const store = openAlertStore(ctx, o);
    try {
      const caseId = store.liveCaseId(o.case);
      if (caseId === undefined) throw new FatalError('E_USAGE', `no case ${o.case}`);
      const report = affectedReport(caseId, caseRecordAppearances(store.db, caseId));
      if (o.format === 'json') io.out(json({ ...report, ...(caseId !== o.case ? { requestedCase: o.case } : {}) }));
      else {
        io.out(affectedCsv(report));
        const practices = report.perPractice.filter((p) => p.practice !== null);
        io.err(
          `case ${caseId}: ${report.records.length} record${report.records.length === 1 ? '' : 's'} exposed` +
            (practices.length ? ` across ${practices.length} practice${practices.length === 1 ? '' : 's'} (${practices.map((p) => `${p.practice}: ${p.records}`).join('; ')})` : '') +
            '\n',
        );
      }
    } finally {
      store.close();
    }
  });
};
