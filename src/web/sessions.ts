import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Dashboard sessions, in memory only: a restart logs everyone out (documented in
 * docs/dashboard.md). Ids are 256 random bits; each session carries its own CSRF token
 * (synchronizer token, checked on every POST). A session unused for `idleMs` is gone.
 * Also kept per user: the end of their previous visit, for "new alerts since last visit".
 */

export interface Session {
  id: string;
  user: string;
  csrfToken: string;
  createdAtMs: number;
  lastSeenAtMs: number;
  /** Where this user's previous visit ended (ISO), when they had one since the server started. */
  previousVisitAt: string | undefined;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  /** user -> when they were last active (ISO), across their sessions. */
  private readonly lastActive = new Map<string, string>();

  constructor(
    private readonly idleMs: number,
    private readonly clock: () => Date,
    /** Oldest sessions are dropped beyond this, so a flood of new visitors cannot exhaust memory. */
    private readonly maxSessions = 10_000,
  ) {}

  create(user: string): Session {
    this.sweep();
    while (this.sessions.size >= this.maxSessions) this.sessions.delete(this.sessions.keys().next().value as string);
    const now = this.clock();
    const s: Session = {
      id: randomBytes(32).toString('base64url'),
      user,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAtMs: now.getTime(),
      lastSeenAtMs: now.getTime(),
      previousVisitAt: this.lastActive.get(user),
    };
    this.sessions.set(s.id, s);
    this.lastActive.set(user, now.toISOString());
    return s;
  }

  /** The live session with this id (its idle timer restarted), or undefined. */
  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    const now = this.clock();
    if (now.getTime() - s.lastSeenAtMs > this.idleMs) {
      this.sessions.delete(id);
      return undefined;
    }
    s.lastSeenAtMs = now.getTime();
    this.lastActive.set(s.user, now.toISOString());
    return s;
  }

  destroy(id: string): void {
    this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private sweep(): void {
    const now = this.clock().getTime();
    for (const [id, s] of this.sessions) if (now - s.lastSeenAtMs > this.idleMs) this.sessions.delete(id);
  }
}

/** Constant-time comparison of a submitted CSRF token with the session's. */
export function csrfMatches(session: Session, submitted: string | undefined): boolean {
  if (typeof submitted !== 'string') return false;
  const a = Buffer.from(session.csrfToken);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}
