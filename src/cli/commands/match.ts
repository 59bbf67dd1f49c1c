import { resolve } from 'node:path';
import type { Command } from 'commander';
import { scanSamples } from '../../ingest/scan.js';
import { Matcher } from '../../match/matcher.js';
import type { Match } from '../../match/types.js';
import type { CommandContext } from '../context.js';
import { EXIT } from '../io.js';
import { addStoreOptions, openStore, type StoreOptions } from '../store-options.js';
import { json, table } from '../table.js';
import { matchRecords, printRecordExposures } from './records.js';

const short = (m: Match): string => {
  const d = m.details;
  switch (m.method) {
    case 'near':
      return `simhash distance ${d.near?.distance}/64`;
    case 'partial':
      return `${d.partial?.matchedFingerprints}/${d.partial?.sampleFingerprints} fingerprints (${Math.round((d.partial?.containment ?? 0) * 100)} %)`;
    case 'image':
      return `PDQ distance ${d.image?.distance}/256, ${d.image?.transform}`;
    case 'text':
      return d.text?.scope === 'page' ? 'same text (page)' : 'same text';
    default:
      return 'same bytes';
  }
};

export function registerMatch(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  addStoreOptions(
    program
      .command('match')
      .description('match files (and every file inside archives) against the fingerprint sets; exit 1 when something matched')
      .option('--set <name>', 'a set to match against; repeat for several (default: all)', (v: string, acc: string[] | undefined) => [...(acc ?? []), v])
      .option('--json', 'JSON output')
      .option('--no-ocr', 'do not read the text of pictures by OCR (faster; screenshots then match by perceptual hash only)')
      .argument('<path...>', 'files or folders to check'),
  ).action(async (paths: string[], o: StoreOptions & { set?: string[]; json?: boolean; ocr?: boolean }) => {
    const store = openStore(io, o);
    try {
      const matcher = new Matcher(store, { ...(o.set?.length ? { sets: o.set } : {}) });
      const r = await scanSamples({ matcher, keys: store.keys, paths: paths.map((p) => resolve(io.cwd, p)), ...(o.ocr === false ? { ocr: false } : {}), ...(io.signal ? { signal: io.signal } : {}) });
      // Record-level matches (when record sets exist): exposed records by record key.
      const rec = await matchRecords(io, store, paths, r.ocrTexts);
      const matched = r.samples.some((s) => s.matches.length > 0) || (rec?.exposures.length ?? 0) > 0;
      if (o.json) io.out(json({ samples: r.samples, errors: r.failures, ...(rec ? { records: rec.exposures, recordErrors: rec.failures } : {}) }));
      else {
        if (rec) printRecordExposures(io, rec.exposures);
        const rows = r.samples.flatMap((s) => s.matches.map((m) => [s.path, m.document, m.set, m.method, m.score.toFixed(2), short(m) + (m.details.ocr ? ' (text read by OCR)' : '')]));
        if (rows.length) io.out(table(['sample', 'known document', 'set', 'method', 'score', 'evidence'], rows));
        io.out(`${r.samples.length} samples checked, ${r.samples.filter((s) => s.matches.length).length} matched${r.failures.length ? `, ${r.failures.length} could not be read` : ''}\n`);
        for (const f of r.failures) io.err(`could not read ${f.path}: ${f.message} [${f.code}]\n`);
      }
      // Unreadable samples are an error only when nothing else could be checked.
      if (r.samples.length === 0 && r.failures.length > 0) ctx.setExitCode(EXIT.ERROR);
      else if (matched) ctx.setExitCode(EXIT.MATCH);
    } finally {
      store.close();
    }
  });
}
