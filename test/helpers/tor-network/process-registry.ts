/**
 * Every tor process the harness started, by PID, so that nothing outlives the test process:
 *  - normal path: TorNetwork.stop() (called from afterAll) stops each PID and unregisters it;
 *  - a test that throws or times out still reaches afterAll; if the worker is torn down
 *    before that, the `exit` handler SIGKILLs what is left, and SIGINT/SIGTERM/SIGHUP handlers
 *    do the same before letting the signal end the process as it would have;
 *  - if the worker is SIGKILLed (no handler runs), every torrc carries
 *    `__OwningControllerProcess <this pid>`, so each tor exits on its own once we are gone.
 * Only PIDs recorded here are ever signalled — never anything found by name.
 */

const live = new Set<number>();
let installed = false;

function killAllNow(): void {
  for (const pid of live) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAllNow();
  // Re-raise with the default behaviour, so the process still ends as the sender intended.
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.kill(process.pid, signal);
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAllNow);
  for (const s of SIGNALS) process.on(s, onSignal);
}

export function registerPid(pid: number): void {
  install();
  live.add(pid);
}

export function unregisterPid(pid: number): void {
  live.delete(pid);
}

/** PIDs started and not yet stopped (for tests of the harness itself). */
export function livePids(): number[] {
  return [...live];
}

/** True while a process with this PID exists (signal 0 probes without signalling). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
