import { DriftlessError, ERROR_CODES, type ErrorCode } from '../base/index.ts';
import { duration } from '../jobs/index.ts';
import type { JobInfo, JobState } from '../service/index.ts';
import { sanitize } from './format.ts';
import { interruption, type AppSession, type Io } from './io.ts';

const TERMINAL: ReadonlySet<JobState> = new Set(['finished', 'failed', 'cancelled']);

/**
 * Runs `start` (which queues jobs in the App), then waits until the App is idle. Job events feed
 * progress bars when stderr is a terminal and stay silent otherwise, except a job waiting for
 * another process's writer lock: that is said on stderr in any case (who holds it, since when, how
 * long this waits), so a command never waits without a word. An interrupt (Ctrl-C) cancels
 * every job seen so far, waits for them to stop and throws CANCELLED (exit code 130).
 *
 * @returns what `start` returned and the last state of every job seen.
 * @throws DriftlessError CANCELLED on interrupt, INTERNAL naming the job when a job failed.
 */
export async function runJobs<T>(
  session: AppSession,
  io: Io,
  start: () => Promise<T>,
): Promise<{ result: T; jobs: JobInfo[] }> {
  const jobs = new Map<string, JobInfo>();
  // cli-progress loads only for a terminal.
  const bars = io.stderr.isTTY
    ? new (await import('./progressBars.ts')).JobProgressBars(io.stderr)
    : undefined;
  const toldWaiting = new Set<string>();
  const unsubscribe = session.events.on((event) => {
    if (event.type !== 'job') return;
    jobs.set(event.job.id, event.job);
    bars?.update(event.job);
    const { id, phase, detail, state } = event.job;
    if (state !== 'running' || phase !== 'waiting' || !detail || toldWaiting.has(`${id} ${detail}`)) return;
    toldWaiting.add(`${id} ${detail}`);
    const line = waitingLine(event.job.label, detail, session.lockWaitMs);
    if (bars) bars.log(line);
    else io.stderr.write(line);
  });
  const interrupt = interruption(io);
  try {
    // Starting is a quick API call; an interrupt during it is handled once the jobs exist.
    const result = await start();
    if (!interrupt.fired) await Promise.race([session.idle(), interrupt.promise]);
    if (interrupt.fired) await cancelAll(session, jobs);
    bars?.stop();
    const seen = [...jobs.values()];
    throwIfUnsuccessful(seen);
    return { result, jobs: seen };
  } finally {
    bars?.stop();
    unsubscribe();
    interrupt.dispose();
  }
}

function waitingLine(label: string, holder: string, lockWaitMs: number | undefined): string {
  const bound =
    lockWaitMs === undefined
      ? 'Waiting until it finishes'
      : `Waiting up to ${duration(lockWaitMs)} for it to finish (--lock-wait)`;
  return `driftless: ${sanitize(label)} is waiting: ${holder.charAt(0).toUpperCase()}${holder.slice(1)} is writing to this data folder. ${bound}; Ctrl-C stops.\n`;
}

async function cancelAll(session: AppSession, jobs: Map<string, JobInfo>): Promise<never> {
  const running = (await session.api.listJobs({})).filter((job) => !TERMINAL.has(job.state));
  await Promise.allSettled(running.map((job) => session.api.cancelJob({ jobId: job.id })));
  await session.idle();
  for (const job of running) jobs.set(job.id, { ...job, state: 'cancelled' });
  throw new DriftlessError('CANCELLED', 'Cancelled.');
}

function throwIfUnsuccessful(jobs: JobInfo[]): void {
  const failed = jobs.find((job) => job.state === 'failed');
  if (failed) {
    // The job's own error code decides the exit status (a LOCKED import exits 5, not 1).
    const code =
      failed.errorCode && failed.errorCode in ERROR_CODES ? (failed.errorCode as ErrorCode) : 'INTERNAL';
    throw new DriftlessError(code, `${failed.label} failed: ${failed.error ?? 'unknown error'}`, {
      jobId: failed.id,
    });
  }
  const cancelled = jobs.find((job) => job.state === 'cancelled');
  if (cancelled)
    throw new DriftlessError('CANCELLED', `${cancelled.label} was cancelled.`, { jobId: cancelled.id });
}
