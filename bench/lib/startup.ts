import { spawn } from 'node:child_process';
import { DriftlessError } from '../../core/base/index.ts';
import { percentile, ratio, round } from './stats.ts';

/** One command line whose wall time from spawn to exit is measured. */
export interface StartupCase {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

export interface StartupFigures {
  name: string;
  command: string;
  runs: number;
  medianMs: number | undefined;
  minMs: number | undefined;
  maxMs: number | undefined;
  /** Median over the baseline's median, both from the same interleaved runs. */
  ratioToBaseline: number | undefined;
}

/**
 * Runs every case `runs` times, interleaved (case 1, case 2, ..., then again), so a change in the
 * machine's load during the run weighs on every case alike. The first case is the baseline. A case
 * that exits non-zero stops the benchmark: its time would not be the command's.
 */
export async function timeStartups(
  cases: readonly StartupCase[],
  runs: number,
  cwd: string,
): Promise<StartupFigures[]> {
  const samples = cases.map(() => [] as number[]);
  for (let run = 0; run < runs; run++) {
    for (const [i, item] of cases.entries()) samples[i]!.push(await timeOnce(item, cwd));
  }
  const baseline = percentile(samples[0]!, 50);
  return cases.map((item, i) => {
    const values = samples[i]!;
    const median = percentile(values, 50);
    return {
      name: item.name,
      command: [item.command, ...item.args].join(' '),
      runs: values.length,
      medianMs: round(median, 1),
      minMs: round(Math.min(...values), 1),
      maxMs: round(Math.max(...values), 1),
      ratioToBaseline: ratio(median, baseline),
    };
  });
}

/** Wall time of one run in milliseconds, from spawn to exit. @throws DriftlessError on a non-zero exit. */
export function timeOnce(item: StartupCase, cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(item.command, item.args, {
      cwd,
      env: item.env ?? process.env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const elapsed = performance.now() - started;
      if (code === 0) return resolve(elapsed);
      reject(
        new DriftlessError('INTERNAL', `${item.name} exited with ${code}: ${stderr.trim().slice(-500)}`),
      );
    });
  });
}
