import { estimateEtaSeconds } from '../base/index.ts';
import type { JobInfo } from '../service/contract.ts';

/**
 * Job ETAs measured on a steady clock. The job queue estimates from wall-clock times, which jump
 * when the system clock is set (daylight saving fixes, NTP, a user's manual change): a jump back
 * gave negative ETAs, a jump forward ETAs of days. The wall-clock `startedMs` stays for display.
 */
export class SteadyEta {
  readonly #started = new Map<string, number>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** The job with its ETA recomputed from when this process first saw it running. */
  apply(job: JobInfo): JobInfo {
    if (job.state !== 'running' && job.state !== 'paused') {
      if (job.state !== 'queued') this.#started.delete(job.id);
      return job;
    }
    if (!this.#started.has(job.id)) this.#started.set(job.id, this.now());
    if (job.etaSeconds === undefined) return job;
    const eta = estimateEtaSeconds(this.#started.get(job.id)!, job.done, job.total, this.now());
    return { ...job, etaSeconds: eta };
  }
}
