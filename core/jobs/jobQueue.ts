import { randomUUID } from 'node:crypto';
import { DriftlessError, Emitter, estimateEtaSeconds, isAbortError, type Progress } from '../base/index.ts';
import type { JobContext, JobInfo, JobSpec } from './types.ts';

interface Entry {
  info: JobInfo;
  spec: JobSpec;
  controller: AbortController;
  resumeWaiters: Array<() => void>;
  done: Promise<unknown>;
  settle: { resolve: (value: unknown) => void; reject: (error: unknown) => void };
  /** When the job started on the steady clock: ETAs must not jump when the wall clock is set. */
  steadyStart?: number;
  /** A quiet job that has not reported progress or failed yet: left out of lists and events. */
  unseen: boolean;
}

const FINISHED_KEPT = 50;

/**
 * Runs long work one job at a time (every job writes to the same index), with progress, pause,
 * resume and cancel. Search never goes through the queue, so it is never blocked by a job.
 */
export class JobQueue {
  /** Every change of a job that lists show (quiet jobs only once they are seen). */
  readonly events = new Emitter<JobInfo>();
  /** Every job's end, quiet ones included: for the app's own follow-up work, never for display. */
  readonly endings = new Emitter<JobInfo>();
  readonly #entries = new Map<string, Entry>();
  #running: Entry | undefined;
  #closed = false;
  readonly #now: () => number;

  /** @param now a steady clock in milliseconds (tests pass their own). */
  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** Queues a job; the returned promise settles with the job's result. */
  enqueue<T>(spec: JobSpec<T>): { id: string; result: Promise<T> } {
    if (this.#closed)
      throw new DriftlessError('CONFLICT', 'Driftless is shutting down; no new jobs are accepted.');
    const entry = this.#createEntry(spec as JobSpec);
    this.#entries.set(entry.info.id, entry);
    this.#publish(entry);
    void this.#pump();
    return { id: entry.info.id, result: entry.done as Promise<T> };
  }

  list(): JobInfo[] {
    return [...this.#entries.values()].filter((entry) => !entry.unseen).map((entry) => ({ ...entry.info }));
  }

  get(id: string): JobInfo {
    return { ...this.#entry(id).info };
  }

  pause(id: string): JobInfo {
    const entry = this.#entry(id);
    if (entry.info.state === 'running' || entry.info.state === 'queued') {
      entry.info.state = 'paused';
      this.#publish(entry);
    }
    return { ...entry.info };
  }

  resume(id: string): JobInfo {
    const entry = this.#entry(id);
    if (entry.info.state === 'paused') {
      entry.info.state = entry === this.#running ? 'running' : 'queued';
      entry.resumeWaiters.splice(0).forEach((wake) => wake());
      this.#publish(entry);
      void this.#pump();
    }
    return { ...entry.info };
  }

  cancel(id: string): JobInfo {
    const entry = this.#entry(id);
    if (isActive(entry.info)) {
      entry.controller.abort();
      entry.resumeWaiters.splice(0).forEach((wake) => wake());
      if (entry !== this.#running) this.#finish(entry, 'cancelled');
      else if (entry.info.state === 'paused') {
        // It runs again until it stops at its next checkpoint; answering "paused" would outlive
        // the "cancelled" event that can reach a window before this answer does.
        entry.info.state = 'running';
        this.#publish(entry);
      }
    }
    return { ...entry.info };
  }

  /** Resolves once no job is queued, running or paused-in-flight. */
  async idle(): Promise<void> {
    for (;;) {
      const pending = [...this.#entries.values()].filter((entry) => isActive(entry.info));
      if (pending.length === 0) return;
      await Promise.allSettled(pending.map((entry) => entry.done));
    }
  }

  /** Refuses new jobs, cancels queued and running ones, and waits for them to stop. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const entry of this.#entries.values()) if (isActive(entry.info)) this.cancel(entry.info.id);
    await this.idle();
  }

  #createEntry(spec: JobSpec): Entry {
    let settle!: Entry['settle'];
    const done = new Promise<unknown>((resolve, reject) => (settle = { resolve, reject }));
    done.catch(() => undefined); // callers that ignore the result must not cause unhandled rejections
    const info: JobInfo = { id: randomUUID(), kind: spec.kind, state: 'queued', label: spec.label, done: 0 };
    if (spec.folderId !== undefined) info.folderId = spec.folderId;
    const unseen = spec.quiet === true;
    return { info, spec, controller: new AbortController(), resumeWaiters: [], done, settle, unseen };
  }

  async #pump(): Promise<void> {
    if (this.#running) return;
    const next = [...this.#entries.values()].find((entry) => entry.info.state === 'queued');
    if (!next) return;
    this.#running = next;
    await this.#run(next);
    this.#running = undefined;
    void this.#pump();
  }

  async #run(entry: Entry): Promise<void> {
    entry.info.state = 'running';
    entry.info.startedMs = Date.now();
    entry.steadyStart = this.#now();
    this.#publish(entry);
    try {
      const value = await entry.spec.run(this.#context(entry));
      this.#finish(entry, 'finished');
      entry.settle.resolve(value);
    } catch (error) {
      const cancelled = isAbortError(error) || entry.controller.signal.aborted;
      if (!cancelled) {
        const failure = DriftlessError.from(error);
        entry.info.error = failure.message;
        entry.info.errorCode = failure.code;
        entry.unseen = false;
      }
      this.#finish(entry, cancelled ? 'cancelled' : 'failed');
      entry.settle.reject(
        cancelled ? new DriftlessError('CANCELLED', `${entry.info.label} was cancelled.`) : error,
      );
    }
  }

  #context(entry: Entry): JobContext {
    return {
      signal: entry.controller.signal,
      report: (progress) => this.#progress(entry, progress),
      checkpoint: async () => {
        while (entry.info.state === 'paused' && !entry.controller.signal.aborted) {
          await new Promise<void>((wake) => entry.resumeWaiters.push(wake));
        }
        if (entry.controller.signal.aborted)
          throw new DriftlessError('CANCELLED', `${entry.info.label} was cancelled.`);
      },
    };
  }

  #progress(entry: Entry, progress: Progress): void {
    entry.unseen = false;
    Object.assign(entry.info, {
      phase: progress.phase,
      detail: progress.detail,
      done: progress.done,
      total: progress.total,
    });
    entry.info.etaSeconds = estimateEtaSeconds(
      entry.steadyStart ?? this.#now(),
      progress.done,
      progress.total,
      this.#now(),
    );
    this.#publish(entry);
  }

  #finish(entry: Entry, state: JobInfo['state']): void {
    entry.info.state = state;
    entry.info.finishedMs = Date.now();
    entry.info.etaSeconds = undefined;
    if (state === 'cancelled')
      entry.settle.reject(new DriftlessError('CANCELLED', `${entry.info.label} was cancelled.`));
    this.endings.emit({ ...entry.info });
    this.#publish(entry);
    this.#forgetOldJobs();
  }

  #forgetOldJobs(): void {
    const finished = [...this.#entries.values()].filter((entry) => !isActive(entry.info));
    for (const entry of finished.slice(0, Math.max(0, finished.length - FINISHED_KEPT)))
      this.#entries.delete(entry.info.id);
  }

  #entry(id: string): Entry {
    const entry = this.#entries.get(id);
    if (!entry) throw new DriftlessError('NOT_FOUND', `No job with id ${id}.`);
    return entry;
  }

  #publish(entry: Entry): void {
    if (entry.unseen) return;
    this.events.emit({ ...entry.info });
  }
}

function isActive(info: JobInfo): boolean {
  return info.state === 'queued' || info.state === 'running' || info.state === 'paused';
}
