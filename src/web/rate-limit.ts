/**
 * Login throttling: at most `maxAttempts` failed logins per key (client address, and user
 * name) in a sliding `windowMs`; a success clears the key. Memory is bounded by dropping
 * the oldest keys beyond `maxKeys`.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly opts: { maxAttempts: number; windowMs: number; maxKeys?: number },
    private readonly clock: () => Date,
  ) {}

  /** Milliseconds until `key` may try again; 0 when it may try now. */
  retryAfterMs(key: string): number {
    const list = this.recent(key);
    if (list.length < this.opts.maxAttempts) return 0;
    return Math.max(1, (list[0] as number) + this.opts.windowMs - this.clock().getTime());
  }

  fail(key: string): void {
    const list = this.recent(key);
    list.push(this.clock().getTime());
    this.failures.delete(key);
    this.failures.set(key, list);
    const max = this.opts.maxKeys ?? 10_000;
    while (this.failures.size > max) this.failures.delete(this.failures.keys().next().value as string);
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string): number[] {
    const since = this.clock().getTime() - this.opts.windowMs;
    return (this.failures.get(key) ?? []).filter((t) => t > since);
  }
}
