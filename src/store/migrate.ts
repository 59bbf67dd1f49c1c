import type Database from 'better-sqlite3';
import { FatalError } from '../errors.js';

/**
 * Versioned schema migrations keyed on SQLite's user_version. Each step runs in its own
 * transaction, so an interrupted upgrade leaves the database at the previous version.
 */
export function migrate(db: Database.Database, steps: readonly string[], what: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > steps.length) {
    throw new FatalError('E_STORE', `${what} has schema version ${current}, newer than this leakwatch understands (${steps.length}); upgrade leakwatch`);
  }
  for (let v = current; v < steps.length; v++) {
    db.transaction(() => {
      db.exec(steps[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
