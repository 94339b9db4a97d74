import type { Cost } from './types.ts';

/**
 * Runs `work` and measures its wall-clock time and this process's CPU time (user + system, all
 * threads, so native inference threads count too).
 */
export async function measure<T>(work: () => Promise<T>): Promise<{ value: T; cost: Cost }> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  const cpu = process.cpuUsage(cpuBefore);
  return { value, cost: { wallMs: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 } };
}

export const ZERO_COST: Cost = { wallMs: 0, cpuMs: 0 };

export function addCost(a: Cost, b: Cost): Cost {
  return { wallMs: a.wallMs + b.wallMs, cpuMs: a.cpuMs + b.cpuMs };
}
