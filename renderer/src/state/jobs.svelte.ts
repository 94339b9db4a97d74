import type { DriftlessApi, JobInfo } from '../contract.ts';
import { describeError, type LoadStatus } from './errors.ts';

const ACTIVE = new Set(['running', 'paused']);
const ENDED = new Set(['finished', 'failed', 'cancelled']);
const LIVE = new Set(['running', 'paused', 'queued']);

/** Background jobs (imports, adaptation, backfill), kept current from job events. */
export class JobsState {
  readonly #api: DriftlessApi;

  jobs = $state<JobInfo[]>([]);
  status = $state<LoadStatus>('idle');
  error = $state<string>();

  active = $derived(this.jobs.filter((job) => ACTIVE.has(job.state)));
  queued = $derived(this.jobs.filter((job) => job.state === 'queued'));
  ended = $derived(
    this.jobs.filter((job) => ENDED.has(job.state)).sort((a, b) => (b.finishedMs ?? 0) - (a.finishedMs ?? 0)),
  );
  /** The newest adaptation job (jobs arrive in the order they were queued), for the Versions view. */
  latestAdapt = $derived(this.jobs.findLast((job) => job.kind === 'adapt'));
  /** Running or queued jobs, for the badge on the Jobs tab. */
  pending = $derived(this.active.length + this.queued.length);

  constructor(api: DriftlessApi) {
    this.#api = api;
  }

  async refresh(): Promise<void> {
    if (this.status !== 'ready') this.status = 'loading';
    try {
      this.jobs = await this.#api.listJobs({});
      this.status = 'ready';
    } catch (error) {
      this.error = describeError(error);
      this.status = 'error';
    }
  }

  /** The import that is running, paused or queued for each folder id, for that folder's row. */
  importsByFolder = $derived.by(() => {
    const byFolder: Record<string, JobInfo> = {};
    for (const job of this.jobs) {
      if (job.kind !== 'import' || !job.folderId || !LIVE.has(job.state)) continue;
      // A running import says more than the rescan queued behind it.
      if (byFolder[job.folderId]?.state !== 'running') byFolder[job.folderId] = job;
    }
    return byFolder;
  });

  /**
   * Applies a job event or an action's answer: replaces the job with that id, or adds it. An ended
   * job never comes back, so a late answer ("paused", sent before the job stopped) cannot overwrite
   * the "cancelled" event that arrived first.
   */
  apply(job: JobInfo): void {
    const index = this.jobs.findIndex((j) => j.id === job.id);
    if (index < 0) this.jobs.push(job);
    else if (!ENDED.has(this.jobs[index]!.state) || ENDED.has(job.state)) this.jobs[index] = job;
  }

  pause(jobId: string): Promise<void> {
    return this.#act(() => this.#api.pauseJob({ jobId }));
  }

  resume(jobId: string): Promise<void> {
    return this.#act(() => this.#api.resumeJob({ jobId }));
  }

  cancel(jobId: string): Promise<void> {
    return this.#act(() => this.#api.cancelJob({ jobId }));
  }

  /** Starts an adaptation run now instead of waiting for the schedule. */
  async startAdaptation(): Promise<void> {
    try {
      await this.#api.startAdaptation({});
      await this.refresh();
    } catch (error) {
      this.error = describeError(error);
    }
  }

  reset(): void {
    this.jobs = [];
    this.status = 'idle';
    this.error = undefined;
  }

  async #act(action: () => Promise<JobInfo>): Promise<void> {
    try {
      this.apply(await action());
    } catch (error) {
      this.error = describeError(error);
    }
  }
}
