/**
 * Progress of a long run: a redrawn bar on a terminal, a plain line every so often
 * otherwise (cron mails and journald should get a few lines, not thousands).
 */
export interface ProgressState {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  documents: number;
  failed: number;
  skipped: number;
}

export interface ProgressSink {
  update(state: ProgressState): void;
  done(): void;
}

const fmtBytes = (n: number): string => {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
};

export { fmtBytes as formatBytes };

function eta(elapsedMs: number, done: number, total: number): string {
  if (done <= 0 || total <= done) return '';
  const s = Math.round(((elapsedMs / done) * (total - done)) / 1000);
  return s >= 3600 ? ` ETA ${Math.floor(s / 3600)}h${Math.round((s % 3600) / 60)}m` : s >= 60 ? ` ETA ${Math.floor(s / 60)}m${s % 60}s` : ` ETA ${s}s`;
}

export function createProgress(write: (s: string) => void, isTTY: boolean, now: () => number = () => performance.now(), intervalMs = 10_000): ProgressSink {
  const started = now();
  // A terminal redraws at once; a log gets its first line only after one interval, so short
  // runs print nothing and no estimate is made from a single file.
  let last = isTTY ? -Infinity : started;
  let lastState: ProgressState | undefined;
  const line = (st: ProgressState): string => {
    const elapsed = now() - started;
    const rate = elapsed > 0 ? (st.bytesDone / 1024 / 1024 / (elapsed / 1000)).toFixed(1) : '0';
    return (
      `${st.filesDone}/${st.filesTotal} files, ${fmtBytes(st.bytesDone)}/${fmtBytes(st.bytesTotal)}, ${st.documents} documents` +
      `${st.skipped ? `, ${st.skipped} unchanged` : ''}${st.failed ? `, ${st.failed} failed` : ''}, ${rate} MB/s${eta(elapsed, st.bytesDone, st.bytesTotal)}`
    );
  };
  return {
    update(st) {
      lastState = st;
      const t = now();
      if (isTTY) {
        if (t - last < 100 && st.filesDone < st.filesTotal) return;
        last = t;
        const width = 24;
        const frac = st.bytesTotal > 0 ? st.bytesDone / st.bytesTotal : st.filesTotal > 0 ? st.filesDone / st.filesTotal : 1;
        const filled = Math.round(Math.min(1, frac) * width);
        write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(frac * 100)}% ${line(st)}\x1b[K`);
      } else if (t - last >= intervalMs) {
        last = t;
        write(`progress: ${line(st)}\n`);
      }
    },
    done() {
      if (isTTY && lastState) write('\n');
    },
  };
}
