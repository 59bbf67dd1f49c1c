import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FatalError } from '../errors.js';
import { CustodyLog, evidencePaths, KEY_FILES, loadCustodyKey, type CustodyEntry } from '../evidence/index.js';

/**
 * Every view of evidence and every download from the dashboard is an `access` entry in the
 * custody log, with the dashboard user as actor (`web:<user>`). Fail closed: when the entry
 * cannot be written (no custody key, damaged log) the evidence is not shown.
 */

export interface AccessEvent {
  /** view-package, view-screenshot, view-page, download-package, download-report */
  what: string;
  /** Package SHA-256, or report SHA-256. */
  subject: string;
  user: string;
  details?: Record<string, unknown>;
}

export class AccessRecorder {
  private log: CustodyLog | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly clock: () => Date,
  ) {}

  async record(e: AccessEvent, signal?: AbortSignal): Promise<CustodyEntry> {
    const log = this.open();
    return log.append({ type: 'access', subject: e.subject, actor: `web:${e.user}`, details: { what: e.what, via: 'dashboard', ...e.details } }, signal ? { signal } : {});
  }

  private open(): CustodyLog {
    if (this.log) return this.log;
    const paths = evidencePaths(this.dataDir);
    if (!existsSync(join(paths.keys, KEY_FILES.custodyPrivate))) {
      throw new FatalError('E_KEY_MISSING', 'no custody-log key in the data folder ("leakwatch keys init"): evidence access cannot be logged, so it is not shown');
    }
    this.log = CustodyLog.open(paths.custodyLog, { key: loadCustodyKey(paths.keys), checkpointsDir: paths.checkpoints, actor: 'leakwatch-web', clock: this.clock });
    return this.log;
  }
}
