import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { FatalError } from '../../errors.js';
import {
  CustodyLog, evidencePaths, loadCustodyKey, TSA_CERT_ENV, TSA_URL_ENV, timestampPending, verifyEvidence, type EvidenceVerification,
} from '../../evidence/index.js';
import type { CommandContext, RegisterCommand } from '../context.js';
import { EXIT } from '../io.js';
import { json } from '../table.js';

/**
 * `leakwatch evidence verify|timestamp|checkpoint`. verify is offline and needs only the
 * package, the log and the public keys; it exits 0 when valid and 2 with every problem listed.
 */

function printVerification(r: EvidenceVerification): string {
  const lines: string[] = [];
  if (r.package) {
    const p = r.package;
    lines.push(`package ${p.path}`, `  sha256 ${p.sha256} (${p.bytes} bytes)${p.captureId ? `, capture ${p.captureId}` : ''}`);
    lines.push(`  signature: ${p.signer.valid ? 'valid' : 'INVALID'}${p.signer.keyFingerprint ? `, key ${p.signer.keyFingerprint}` : ''} (${p.signer.pinned ? 'matches the trusted key' : 'signer not pinned'})`);
    const bad = p.files.filter((f) => f.hashMatches !== true).length;
    lines.push(`  files: ${p.files.length} checked against datapackage.json${bad ? `, ${bad} not matching` : ', all match'}`);
  }
  for (const t of r.timestamps) {
    const what = t.status === 'verified' ? `verified, ${t.genTime ?? '?'} by ${t.tsa ?? '?'}${t.pinned ? '' : ' (TSA not pinned)'}` : t.status === 'pending' ? 'requested, not yet submitted (leakwatch evidence timestamp)' : t.status;
    lines.push(`  timestamp ${t.subject}: ${what}`);
  }
  if (r.log) {
    const l = r.log;
    lines.push(`custody log: ${l.entries} entries, ${l.checkpoints.length} checkpoint(s)${l.head ? `, signed head for ${l.head.treeSize}` : ''}${l.external.length ? `, ${l.external.length} external checkpoint(s)` : ''}`);
    if (l.capture) lines.push(`  capture entry: line ${l.capture.line}${l.capture.provenBy ? `, included in ${l.capture.provenBy.source} (tree size ${l.capture.provenBy.treeSize})` : ''}`);
  }
  const errors = r.problems.filter((p) => p.severity === 'error');
  lines.push(r.ok ? 'VALID' : `INVALID: ${errors.length} problem(s)`);
  for (const p of r.problems) lines.push(`  ${p.severity === 'error' ? 'error' : 'warning'} [${p.scope}/${p.check}] ${p.message}`);
  return lines.join('\n') + '\n';
}

export const registerEvidence: RegisterCommand = (program, ctx: CommandContext) => {
  const { io } = ctx;
  const ev = program.command('evidence').description('verify and time-stamp evidence packages and the custody log');

  ev.command('verify')
    .description('check a package (and/or the custody log) offline; exit 0 valid, 2 invalid')
    .argument('[package]', 'capture-<id>.wacz')
    .option('--log <file>', 'custody log (custody.jsonl); its signed head <file>.head is read too')
    .option('--keys <dir>', 'folder with the public keys (package-signing.pub.pem, custody-log.pub.pem)')
    .option('--head <file>', 'signed head of the log (default: <log>.head)')
    .option('--checkpoints <dir>', 'checkpoint notes kept apart from the log (default: <log dir>/checkpoints when present)')
    .option('--tsa-cert <file>', `pinned TSA certificate (PEM) for the RFC 3161 timestamps (default: $${TSA_CERT_ENV})`)
    .option('--json', 'machine-readable output')
    .action(async (pkg: string | undefined, o: { log?: string; keys?: string; head?: string; checkpoints?: string; tsaCert?: string; json?: boolean }) => {
      const abs = (p: string | undefined): string | undefined => (p ? resolve(io.cwd, p) : undefined);
      const tsaCert = abs(o.tsaCert ?? io.env[TSA_CERT_ENV]);
      // Checkpoint copies normally sit beside the log (custody/checkpoints): use them when present.
      const besideLog = o.log ? join(dirname(resolve(io.cwd, o.log)), 'checkpoints') : undefined;
      const checkpoints = abs(o.checkpoints) ?? (besideLog && existsSync(besideLog) ? besideLog : undefined);
      const r = await verifyEvidence({
        ...(pkg ? { packagePath: abs(pkg) as string } : {}),
        ...(o.log ? { logPath: abs(o.log) as string } : {}),
        ...(o.keys ? { keysDir: abs(o.keys) as string } : {}),
        ...(o.head ? { headPath: abs(o.head) as string } : {}),
        ...(checkpoints ? { checkpointsDir: checkpoints } : {}),
        ...(tsaCert ? { tsaCertPath: tsaCert } : {}),
      });
      io.out(o.json ? json(r) : printVerification(r));
      ctx.setExitCode(r.ok ? EXIT.OK : EXIT.ERROR);
    });

  ev.command('timestamp')
    .description('submit pending RFC 3161 requests (*.tsq) to a TSA and keep the verified replies (*.tsr)')
    .option('--tsa-url <url>', `time-stamp authority (default: $${TSA_URL_ENV})`)
    .option('--tsa-cert <file>', `pinned TSA certificate or its CA, PEM (default: $${TSA_CERT_ENV})`)
    .option('--dir <dir...>', 'folders to scan (default: <data-dir>/evidence and <data-dir>/custody/checkpoints)')
    .option('--data-dir <dir>', 'data folder', 'data')
    .option('--timeout-ms <ms>', 'per-request timeout', (v) => Number(v), 30_000)
    .option('--json', 'machine-readable output')
    .action(async (o: { tsaUrl?: string; tsaCert?: string; dir?: string[]; dataDir: string; timeoutMs: number; json?: boolean }) => {
      const url = o.tsaUrl ?? io.env[TSA_URL_ENV];
      const cert = o.tsaCert ?? io.env[TSA_CERT_ENV];
      if (!url) throw new FatalError('E_USAGE', `no TSA configured: pass --tsa-url or set ${TSA_URL_ENV}`);
      if (!/^https?:\/\//i.test(url)) throw new FatalError('E_USAGE', 'the TSA URL must be http:// or https://');
      if (!cert) throw new FatalError('E_USAGE', `replies are only kept when they chain to a pinned TSA certificate: pass --tsa-cert or set ${TSA_CERT_ENV}`);
      const certPath = resolve(io.cwd, cert);
      if (!existsSync(certPath)) throw new FatalError('E_INPUT_NOT_FOUND', `${certPath} does not exist`);
      const paths = evidencePaths(resolve(io.cwd, o.dataDir));
      const dirs = o.dir?.map((d) => resolve(io.cwd, d)) ?? [paths.packages, paths.checkpoints];
      const outcomes = await timestampPending({
        dirs,
        tsaUrl: url,
        trustedPem: readFileSync(certPath, 'utf8'),
        timeoutMs: o.timeoutMs,
        ...(io.signal ? { signal: io.signal } : {}),
      });
      if (o.json) io.out(json({ outcomes }));
      else if (outcomes.length === 0) io.out('no pending time-stamp requests\n');
      else for (const r of outcomes) io.out(`${r.status}: ${r.request}${r.genTime ? ` at ${r.genTime}` : ''}${r.problems.length ? ` — ${r.problems.join('; ')}` : ''}\n`);
      if (outcomes.some((r) => r.status !== 'stamped')) ctx.setExitCode(EXIT.ERROR);
    });

  ev.command('checkpoint')
    .description('append a signed Merkle checkpoint to the custody log now')
    .option('--log <file>', 'custody log (default: <data-dir>/custody/custody.jsonl)')
    .option('--keys <dir>', 'key folder holding custody-log.key (default: <data-dir>/keys)')
    .option('--data-dir <dir>', 'data folder', 'data')
    .option('--actor <name>', 'who requested the checkpoint', 'operator')
    .option('--json', 'machine-readable output')
    .action(async (o: { log?: string; keys?: string; dataDir: string; actor: string; json?: boolean }) => {
      const paths = evidencePaths(resolve(io.cwd, o.dataDir));
      const logPath = o.log ? resolve(io.cwd, o.log) : paths.custodyLog;
      const log = CustodyLog.open(logPath, {
        key: loadCustodyKey(o.keys ? resolve(io.cwd, o.keys) : paths.keys),
        checkpointsDir: join(dirname(logPath), 'checkpoints'),
        actor: o.actor,
      });
      const entry = await log.checkpoint(io.signal ? { signal: io.signal } : {});
      if (o.json) io.out(json(entry));
      else io.out(`checkpoint at seq ${entry.seq}: tree size ${String(entry.details.treeSize)}, root ${entry.subject}\n`);
    });
};
