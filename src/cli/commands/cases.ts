import { caseDetail, listCases } from '../../alert/index.js';
import { FatalError } from '../../errors.js';
import type { RegisterCommand } from '../context.js';
import { parsePositiveInt } from '../store-options.js';
import { json, table } from '../table.js';
import { addDataOptions, openAlertStore, safe, type DataOptions } from './alerts.js';

/**
 * `leakwatch cases list|show`. A case groups the alerts that expose a common known document:
 * its timeline is every appearance (site, mirror, URL, first/last seen) and its exposure the
 * documents with how often and where they appeared.
 */
export const registerCases: RegisterCommand = (program, ctx) => {
  const { io } = ctx;
  const cases = program.command('cases').description('cases: alerts grouped by the known documents they expose');

  addDataOptions(cases.command('list').description('list cases, most recent activity first').option('--json', 'JSON output')).action((o: DataOptions & { json?: boolean }) => {
    const store = openAlertStore(ctx, o);
    try {
      const list = listCases(store);
      if (o.json) io.out(json({ cases: list }));
      else if (list.length === 0) io.out('no cases\n');
      else
        io.out(
          table(
            ['case', 'severity', 'alerts', 'open', 'documents', 'first seen', 'last seen', 'sites'],
            list.map((c) => [
              String(c.id) + (c.mergedFrom.length ? ` (+${c.mergedFrom.join(',')})` : ''),
              c.severity,
              String(c.alerts),
              String(c.openAlerts),
              String(c.documents),
              c.firstSeenAt,
              c.lastSeenAt,
              safe(c.sites.join(', ')),
            ]),
          ),
        );
    } finally {
      store.close();
    }
  });

  addDataOptions(cases.command('show').description('timeline of appearances and exposed documents of one case').argument('<id>', 'case id', parsePositiveInt).option('--json', 'JSON output')).action(
    (id: number, o: DataOptions & { json?: boolean }) => {
      const store = openAlertStore(ctx, o);
      try {
        const c = caseDetail(store, id);
        if (!c) throw new FatalError('E_USAGE', `no case ${id}`);
        if (o.json) {
          io.out(json({ case: c }));
          return;
        }
        if (c.requestedId !== c.id) io.out(`case ${c.requestedId} was merged into case ${c.id}\n\n`);
        io.out(
          `case ${c.id} — ${c.severity.toUpperCase()}: ${c.documents} known document(s) exposed in ${c.alerts} alert(s) on ${c.sites.length} site(s)\n` +
            `  opened:      ${c.openedAt}\n  first seen:  ${c.firstSeenAt}\n  last seen:   ${c.lastSeenAt}\n` +
            (c.merges.length ? `  merged:      ${c.merges.map((m) => `case ${m.mergedCaseId} at ${m.at}${m.alertId ? ` (alert ${m.alertId})` : ''}`).join('; ')}\n` : '') +
            '\n',
        );
        io.out(`timeline (${c.timeline.length} appearance(s)):\n`);
        io.out(
          table(
            ['first seen', 'last seen', 'seen', 'alert', 'severity', 'site', 'mirror', 'post', 'sample url'],
            c.timeline.map((t) => [t.firstSeenAt, t.lastSeenAt, String(t.seenCount), String(t.alertId), t.severity, safe(t.siteId), safe(t.mirrorUrl), safe(t.postUrl ?? t.postTitle ?? '-'), safe(t.sampleUrl)]),
          ),
        );
        io.out(`\nexposed documents (${c.exposed.length}):\n`);
        io.out(
          table(
            ['set', 'document', 'appearances', 'sites', 'best match', 'first seen', 'last seen'],
            c.exposed.map((d) => [safe(d.set), safe(d.document), String(d.appearances), safe(d.sites.join(', ')), `${d.bestMethod} ${d.bestScore.toFixed(2)}`, d.firstSeenAt, d.lastSeenAt]),
          ),
        );
      } finally {
        store.close();
      }
    },
  );
};
