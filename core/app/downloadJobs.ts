import { DriftlessError } from '../base/index.ts';
import { JobQueue, type JobContext, type JobSpec } from '../jobs/index.ts';
import type { JobInfo } from '../service/contract.ts';

/**
 * Model downloads run in a queue of their own: they write nothing to the index, so they neither wait
 * for nor block imports and adaptation. Failed jobs carry their error code (e.g. OFFLINE), so callers
 * can branch on it instead of on the message. Pause stops the transfer and resume starts it again.
 */
export class DownloadJobs {
  readonly #queue = new JobQueue();
  readonly #codes = new Map<string, string>();
  /** Aborts the running attempt of a job, per job id. */
  readonly #pausers = new Map<string, AbortController>();

  /** Subscribes to job changes, each with its error code once it failed. */
  onJob(listener: (job: JobInfo) => void): () => void {
    return this.#queue.events.on((job) => listener(this.#withCode(job)));
  }

  /**
   * Queues a job whose `run` may be stopped by pause: the attempt's signal aborts, the job waits
   * until resumed, then runs again (a download then resumes from its partial files).
   */
  enqueue<T>(spec: JobSpec<T>): { id: string; result: Promise<T> } {
    let setId!: (id: string) => void;
    const jobId = new Promise<string>((resolve) => (setId = resolve));
    const job = this.#queue.enqueue({
      ...spec,
      run: async (context) => {
        // The job starts before enqueue has returned its id; wait for it.
        const id = await jobId;
        try {
          return await this.#attempts(id, spec, context);
        } catch (error) {
          this.#codes.set(id, DriftlessError.from(error).code);
          throw error;
        } finally {
          this.#pausers.delete(id);
        }
      },
    });
    setId(job.id);
    return job;
  }

  owns(jobId: string): boolean {
    return this.list().some((job) => job.id === jobId);
  }

  list(): JobInfo[] {
    return this.#queue.list().map((job) => this.#withCode(job));
  }

  /** Pauses a job: a running attempt stops now, and the job waits for resume. */
  pause(jobId: string): JobInfo {
    const info = this.#queue.pause(jobId);
    this.#pausers.get(jobId)?.abort();
    return this.#withCode(info);
  }

  resume(jobId: string): JobInfo {
    return this.#withCode(this.#queue.resume(jobId));
  }

  cancel(jobId: string): JobInfo {
    return this.#withCode(this.#queue.cancel(jobId));
  }

  idle(): Promise<void> {
    return this.#queue.idle();
  }

  close(): Promise<void> {
    return this.#queue.close();
  }

  async #attempts<T>(id: string, spec: JobSpec<T>, context: JobContext): Promise<T> {
    for (;;) {
      await context.checkpoint(); // waits while paused; throws CANCELLED once cancelled
      const attempt = new AbortController();
      const stop = () => attempt.abort();
      context.signal.addEventListener('abort', stop, { once: true });
      this.#pausers.set(id, attempt);
      try {
        return await spec.run({ ...context, signal: attempt.signal });
      } catch (error) {
        // Only a pause aborts the attempt without the job's own signal.
        if (context.signal.aborted || !attempt.signal.aborted) throw error;
      } finally {
        context.signal.removeEventListener('abort', stop);
      }
    }
  }

  #withCode(job: JobInfo): JobInfo {
    const code = job.state === 'failed' ? this.#codes.get(job.id) : undefined;
    return code ? { ...job, errorCode: code } : job;
  }
}
