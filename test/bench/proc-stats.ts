import fs from 'node:fs';
import os from 'node:os';

// CPU and memory of a process tree, read from /proc (Linux): every managed child runs under the
// watchdog (infra/watchdog.js), so the figures sum the watchdog's descendants.
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function children(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** The process and all its descendants. */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...children(out[i]));
  return out;
}

/** utime + stime in seconds (fields 14 and 15 of /proc/<pid>/stat); 0 for a gone process. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // field 3 onwards
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Lowers the OS priority of a running process tree, every thread of it (Linux's setpriority on a
 * process id changes only that thread; the task ids under /proc/<pid>/task are the rest).
 */
export function reniceTree(rootPid: number, niceness: number): void {
  for (const pid of processTree(rootPid)) {
    let tasks: number[] = [pid];
    try {
      tasks = fs.readdirSync(`/proc/${pid}/task`).map(Number);
    } catch {
      /* gone */
    }
    for (const tid of tasks) {
      try {
        os.setPriority(tid, niceness);
      } catch {
        /* gone meanwhile */
      }
    }
  }
}

export const treeCpuSeconds = (rootPid: number) => processTree(rootPid).reduce((s, p) => s + cpuSeconds(p), 0);
/** RSS of the tree without its watchdog (which is small and not part of the service). */
export const treeRssBytes = (rootPid: number) =>
  processTree(rootPid)
    .slice(1)
    .reduce((s, p) => s + rssBytes(p), 0);

export interface Tracked {
  name: string;
  pid: number;
}

/** CPU seconds per process spent while `fn` ran. */
export async function cpuDuring<T>(
  procs: Tracked[],
  fn: () => Promise<T>,
): Promise<{ result: T; cpu: Record<string, number> }> {
  const before = Object.fromEntries(procs.map((p) => [p.name, treeCpuSeconds(p.pid)]));
  const result = await fn();
  const cpu = Object.fromEntries(procs.map((p) => [p.name, treeCpuSeconds(p.pid) - before[p.name]]));
  return { result, cpu };
}

/** Samples RSS of each process every `everyMs` until stopped: the peak per process. */
export function sampleRss(procs: Tracked[], everyMs = 250) {
  const peak: Record<string, number> = Object.fromEntries(procs.map((p) => [p.name, 0]));
  const tick = () => {
    for (const p of procs) peak[p.name] = Math.max(peak[p.name], treeRssBytes(p.pid));
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return {
    peek: () => ({ ...peak }),
    stop() {
      clearInterval(timer);
      tick();
      return peak;
    },
  };
}
