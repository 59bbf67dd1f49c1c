import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { FatalError } from '../../errors.js';
import { deriveKeys, MASTER_KEY_BYTES } from '../../fingerprint/keys.js';
import { createProgress, fingerprintFile, formatBytes, ingestCorpus } from '../../ingest/index.js';
import type { CommandContext } from '../context.js';
import { EXIT } from '../io.js';
import { addStoreOptions, openStore, parsePositiveInt, type StoreOptions } from '../store-options.js';
import { json, table } from '../table.js';
import { inspectView, printInspect } from './fingerprint-inspect.js';

export function registerFingerprint(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  const fp = program.command('fingerprint').description('build and manage the fingerprint store of known-stolen documents');

  addStoreOptions(
    fp
      .command('add')
      .description('fingerprint files, folders and archives into a named set (resumable, incremental)')
      .requiredOption('--set <name>', 'fingerprint set to add to (created if new)')
      .option('--workers <n>', 'worker threads (default: one per core)', parsePositiveInt)
      .option('--ocr', 'also read the text of pictures (scans, photos of documents, image-only PDF pages) by OCR; ~1 s per page')
      .option('--json', 'print the summary as JSON')
      .argument('<path...>', 'files or folders; documents are named by their path relative to each argument'),
  ).action(async (paths: string[], o: StoreOptions & { set: string; workers?: number; ocr?: boolean; json?: boolean }) => {
    const store = openStore(io, o, true);
    try {
      if (store.keySource && !io.env.LEAKWATCH_FINGERPRINT_KEY) io.err(`fingerprint key: ${store.keySource} (keep it apart from ${o.fingerprints}/, and back it up)\n`);
      const summary = await ingestCorpus({
        store,
        setName: o.set,
        paths: paths.map((p) => resolve(io.cwd, p)),
        ...(o.workers ? { workers: o.workers } : {}),
        ...(o.ocr ? { ocr: true } : {}),
        ...(io.signal ? { signal: io.signal } : {}),
        progress: createProgress((s) => io.err(s), io.isTTY),
        onFailure: (f) => io.err(`skipped ${f.path}: ${f.message} [${f.code}]\n`),
      });
      if (o.json) io.out(json(summary));
      else {
        const secs = summary.elapsedMs / 1000;
        io.out(
          `${summary.interrupted ? 'Interrupted' : 'Done'}: set "${summary.set}" — ${summary.filesFingerprinted} files fingerprinted, ` +
            `${summary.filesUnchanged} unchanged, ${summary.filesFailed} failed; ${summary.documents} documents ` +
            `(archive members included), ${formatBytes(summary.bytes)} in ${secs.toFixed(1)} s` +
            (secs > 0 ? ` (${(summary.bytes / 1024 / 1024 / secs).toFixed(1)} MB/s)` : '') +
            (summary.failures ? `; ${summary.failures} problems reported above` : '') +
            '\n',
        );
      }
      if (summary.interrupted) ctx.setExitCode(EXIT.ERROR);
    } finally {
      store.close();
    }
  });

  addStoreOptions(fp.command('list').description('list fingerprint sets').option('--json', 'JSON output')).action((o: StoreOptions & { json?: boolean }) => {
    const store = openStore(io, o);
    try {
      const sets = store.listSets();
      if (o.json) io.out(json({ sets }));
      else if (sets.length === 0) io.out('no fingerprint sets yet: add one with "leakwatch fingerprint add --set <name> <path>"\n');
      else
        io.out(
          table(
            ['set', 'documents', 'files', 'failed', 'size', 'created'],
            sets.map((s) => [s.name, String(s.documents), String(s.sources), String(s.failedSources), formatBytes(s.bytes), s.createdAt]),
          ),
        );
    } finally {
      store.close();
    }
  });

  addStoreOptions(fp.command('stats').description('details of one fingerprint set').argument('<set>').option('--json', 'JSON output')).action(
    (name: string, o: StoreOptions & { json?: boolean }) => {
      const store = openStore(io, o);
      try {
        const id = store.setId(name);
        if (id === undefined) throw new FatalError('E_USAGE', `no fingerprint set named "${name}"`);
        const s = store.summary(id);
        const failures = store.failures(id);
        if (o.json) io.out(json({ ...s, failures }));
        else {
          io.out(
            `set ${s.name} (created ${s.createdAt})\n` +
              `  files:        ${s.sources} (${s.failedSources} failed)\n` +
              `  documents:    ${s.documents} (${s.textDocuments} with text)\n` +
              `  bytes:        ${formatBytes(s.bytes)}\n` +
              `  fingerprints: ${s.winnowFingerprints} passage fingerprints, ${s.images} image hashes\n`,
          );
          for (const f of failures) io.out(`  failed: ${f.path}: ${f.error}\n`);
        }
      } finally {
        store.close();
      }
    },
  );

  addStoreOptions(fp.command('remove').description('delete a fingerprint set and everything stored for it').argument('<set>')).action((name: string, o: StoreOptions) => {
    const store = openStore(io, o);
    try {
      if (!store.removeSet(name)) throw new FatalError('E_USAGE', `no fingerprint set named "${name}"`);
      io.out(`removed set "${name}"\n`);
    } finally {
      store.close();
    }
  });

  addStoreOptions(
    fp
      .command('inspect')
      .description('show what would be stored for one file, without storing it')
      .argument('<file>')
      .option('--json', 'JSON output'),
  ).action(async (file: string, o: StoreOptions & { json?: boolean }) => {
    // Use the store's key when there is one, so values are those the store would hold.
    let keys;
    let keyNote: string;
    try {
      const store = openStore(io, o);
      keys = store.keys;
      keyNote = `store key ${store.keys.keyId}`;
      store.close();
    } catch {
      keys = deriveKeys(randomBytes(MASTER_KEY_BYTES));
      keyNote = 'ephemeral key (no store found): keyed values will differ from any store';
    }
    const abs = resolve(io.cwd, file);
    const r = await fingerprintFile(abs, file, keys, { dihedral: false, ...(io.signal ? { signal: io.signal } : {}) });
    if (r.items.length === 0 && r.failures.length > 0) {
      for (const f of r.failures) io.err(`${f.path}: ${f.message} [${f.code}]\n`);
      ctx.setExitCode(EXIT.ERROR);
      return;
    }
    const view = inspectView(r, keys.keyId, keyNote);
    if (o.json) io.out(json(view));
    else io.out(printInspect(view));
  });
}
