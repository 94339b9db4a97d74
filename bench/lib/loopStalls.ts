import { readFileSync } from 'node:fs';

/** One stall of this thread's event loop: how late a 5 ms timer fired, and when. */
export interface LoopStall {
  /** How late the timer fired (ms of wall time the loop did not turn). */
  ms: number;
  /** This thread's CPU time within the stall (its own code), on Linux; else undefined. */
  cpuMs?: number;
  /** Its time waiting for a CPU within the stall (the machine busy elsewhere), on Linux. */
  runQueueMs?: number;
  /** What the caller said was running when it ended (`during`). */
  during?: string;
  startMs: number;
  endMs: number;
}

/**
 * Records every stall of this thread's event loop over `minMs` (a 5 ms timer firing that much
 * late), with the CPU time this thread spent in it: on a loaded machine the wall time also holds
 * waiting for a CPU, the CPU time only this thread's own work.
 */
export function recordLoopStalls(minMs = 20, during?: () => string): { stop(): LoopStall[] } {
  const found: LoopStall[] = [];
  let last = performance.now();
  let lastSched = schedStat();
  const timer = setInterval(() => {
    const now = performance.now();
    const sched = schedStat();
    const late = now - last - 5;
    if (late > minMs)
      found.push({
        ms: late,
        ...(sched && lastSched
          ? {
              cpuMs: (sched.cpuNs - lastSched.cpuNs) / 1e6,
              runQueueMs: (sched.waitNs - lastSched.waitNs) / 1e6,
            }
          : {}),
        ...(during ? { during: during() } : {}),
        startMs: last,
        endMs: now,
      });
    last = now;
    lastSched = sched;
  }, 5);
  return { stop: () => (clearInterval(timer), found) };
}

/** This thread's time on a CPU and waiting for one, in ns (Linux only; the main thread's id is the pid). */
export function schedStat(): { cpuNs: number; waitNs: number } | undefined {
  try {
    const [cpu, wait] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ');
    return { cpuNs: Number(cpu), waitNs: Number(wait) };
  } catch {
    return undefined;
  }
}
