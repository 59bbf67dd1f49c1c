import { readFileSync } from 'node:fs';

/**
 * Is a process still the one that wrote a lock? A pid alone is not enough: pids are reused
 * (in a container the daemon is often pid 1 or 7 after every restart, so a lock left by a
 * killed run can carry our own pid). On Linux, /proc/<pid>/stat gives the process start time
 * in clock ticks since boot; (pid, start time) names one process for the life of the kernel.
 */

/** True if a process with this pid exists (EPERM: it exists but belongs to another user). */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The start time of a process (field 22 of /proc/<pid>/stat), or undefined where /proc is
 * missing (macOS, BSD) or the process is gone. The command name (field 2) may hold spaces and
 * parentheses, so fields are counted from the last ")".
 */
export function processStartTime(pid: number): string | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // After the name: field 3 (state) is index 0, so field 22 is index 19.
  const start = fields[19];
  return start && /^\d+$/.test(start) ? start : undefined;
}

let own: string | undefined | null = null;

/** This process's start time, read once. */
export function ownStartTime(): string | undefined {
  if (own === null) own = processStartTime(process.pid);
  return own;
}
