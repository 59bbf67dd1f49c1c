/**
 * What the benchmarks ran on, and how busy the machine was meanwhile. Timings on a shared
 * machine are only meaningful next to the load other processes put on the same cores, so
 * every run prints the load average, a two-thread calibration and (on Linux) the CPU time the
 * whole machine spent during each measurement.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { Worker } from 'node:worker_threads';
import { fmt } from './report.js';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  date: string;
  platform: string;
}

export function machineInfo(): MachineInfo {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGb: totalmem() / 1024 ** 3,
    node: process.version,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    platform: `${process.platform} ${process.arch}`,
  };
}

/** Machine-wide CPU counters (Linux /proc/stat), in clock ticks; undefined elsewhere. */
interface ProcStat {
  busy: number;
  total: number;
}

function procStat(): ProcStat | undefined {
  if (!existsSync('/proc/stat')) return undefined;
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  if (v.length < 5 || v.some((x) => !Number.isFinite(x))) return undefined;
  // user nice system idle iowait irq softirq steal (guest time is already inside user).
  const total = v.slice(0, 8).reduce((s, x) => s + x, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { busy: total - idle, total };
}

/** CPU use during one measurement: this process (all threads) and the whole machine. */
export interface CpuWindow {
  wallMs: number;
  /** CPU time of this process, all threads (main, workers, libvips, GC), in ms. */
  cpuMs: number;
  /** cpuMs / wallMs: how many cores this process kept busy on average. */
  cores: number;
  /** Cores the whole machine kept busy (all processes), when /proc/stat is readable. */
  machineCores?: number;
}

export function cpuWindow(): () => CpuWindow {
  const c0 = process.cpuUsage();
  const s0 = procStat();
  const t0 = performance.now();
  return () => {
    const wallMs = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const s1 = procStat();
    const cpuMs = (c.user + c.system) / 1000;
    const out: CpuWindow = { wallMs, cpuMs, cores: cpuMs / wallMs };
    if (s0 && s1 && s1.total > s0.total) out.machineCores = ((s1.busy - s0.busy) / (s1.total - s0.total)) * availableParallelism();
    return out;
  };
}

/** "1.93 (machine 2.00)": this process's cores, and the whole machine's when known. */
export function coresText(w: CpuWindow): string {
  return w.machineCores === undefined ? fmt(w.cores, 2) : `${fmt(w.cores, 2)} (machine: ${fmt(w.machineCores, 2)})`;
}

const SPIN = `
const { parentPort, workerData } = require('node:worker_threads');
let x = 0;
for (let i = 0; i < workerData; i++) x = (x * 31 + i) | 0;
parentPort.postMessage(x);
`;

async function spin(threads: number, iterations: number): Promise<number> {
  const t0 = performance.now();
  await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<void>((resolve, reject) => {
          const w = new Worker(SPIN, { eval: true, workerData: iterations });
          w.once('message', () => {
            void w.terminate();
            resolve();
          });
          w.once('error', reject);
        }),
    ),
  );
  return performance.now() - t0;
}

/**
 * Calibration: the same pure-JS loop on 1 thread, then on one thread per core at once. On an
 * idle machine with real cores the second takes about as long as the first; when other
 * tenants share the cores it takes longer. Returns throughput with all cores ÷ with one.
 */
export async function parallelHeadroom(iterations = 150_000_000): Promise<{ oneMs: number; allMs: number; speedup: number; threads: number }> {
  const threads = availableParallelism();
  await spin(1, iterations / 10); // warm-up
  const oneMs = await spin(1, iterations);
  const allMs = await spin(threads, iterations);
  return { oneMs, allMs, speedup: (threads * oneMs) / allMs, threads };
}

export function machineHeader(m: MachineInfo, headroom?: { speedup: number; threads: number }): string {
  const load = loadavg().map((x) => fmt(x, 2)).join(' / ');
  const lines = [
    `Machine: ${m.cpu}, ${m.cores} cores, ${fmt(m.memoryGb, 1)} GB memory, ${m.platform}, Node ${m.node}; run ${m.date}.`,
    `Load average (1 / 5 / 15 min) at start: ${load}.`,
  ];
  if (headroom) {
    lines.push(
      `Calibration: a pure-JS loop on ${headroom.threads} threads at once ran ${fmt(headroom.speedup, 2)}× as fast as on one thread (${headroom.threads}.00 = every core free for us; less = cores shared with other processes).`,
    );
  }
  return lines.map((l) => `- ${l}`).join('\n');
}
