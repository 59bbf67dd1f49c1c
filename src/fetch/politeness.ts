import { AbortError } from '../errors.js';
import { systemClock, type Clock } from './clock.js';

/**
 * Politeness: at most `perHostConcurrency` requests in flight per host, request starts to one
 * host at least `perHostDelayMs` apart, and at most `concurrency` requests in flight overall.
 * A request takes its host slot before a global slot, so one busy host never pins global
 * slots while it waits. Start times are reserved (not just checked), so two waiters for the
 * same host cannot both start at the end of the same delay.
 */

export interface PolitenessLimits {
  concurrency: number;
  perHostConcurrency: number;
  perHostDelayMs: number;
}

class Semaphore {
  private active = 0;
  private readonly waiters: Array<{ grant: () => void }> = [];

  constructor(private readonly limit: number) {}

  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new AbortError('operation aborted', { cause: signal.reason }));
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          this.active++;
          resolve();
        },
      };
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new AbortError('operation aborted', { cause: signal?.reason }));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  release(): void {
    this.active--;
    this.waiters.shift()?.grant();
  }

  get idle(): boolean {
    return this.active === 0 && this.waiters.length === 0;
  }
}

interface HostState {
  slots: Semaphore;
  nextStartMs: number;
}

export class PolitenessScheduler {
  private readonly global: Semaphore;
  private readonly hosts = new Map<string, HostState>();

  constructor(private readonly limits: PolitenessLimits, private readonly clock: Clock = systemClock) {
    this.global = new Semaphore(Math.max(1, limits.concurrency));
  }

  /** Runs `fn` once a slot for `host` and a global slot are free and the host delay passed. */
  async run<T>(host: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const key = host.toLowerCase();
    let state = this.hosts.get(key);
    if (!state) {
      state = { slots: new Semaphore(Math.max(1, this.limits.perHostConcurrency)), nextStartMs: -Infinity };
      this.hosts.set(key, state);
    }
    await state.slots.acquire(signal);
    try {
      const now = this.clock.now();
      const startAt = Math.max(now, state.nextStartMs);
      state.nextStartMs = startAt + this.limits.perHostDelayMs;
      if (startAt > now) await this.clock.sleep(startAt - now, signal);
      await this.global.acquire(signal);
      // If the global cap held us back, the host's next start counts from our real start.
      state.nextStartMs = Math.max(state.nextStartMs, this.clock.now() + this.limits.perHostDelayMs);
      try {
        return await fn();
      } finally {
        this.global.release();
      }
    } finally {
      state.slots.release();
      // Forget idle hosts whose delay has passed, so a long run over many hosts stays small.
      if (state.slots.idle && state.nextStartMs <= this.clock.now()) this.hosts.delete(key);
    }
  }
}
