import type { DriftlessApi, JobInfo } from '../contract.ts';
import { describeError, type LoadStatus } from './errors.ts';

/** A catalogue model and its install state, as the API lists it. */
export type ModelInfo = Awaited<ReturnType<DriftlessApi['listModels']>>[number];

const ENDED = new Set(['finished', 'failed', 'cancelled']);

/**
 * The Models section of the settings: the catalogue, downloads with their job's progress, removal,
 * and the switch of the search model. A job is followed by asking for the job list until it ends
 * (`pollMs`); `applyJob` also takes job events, where a caller routes them here.
 */
export class ModelsState {
  readonly #api: DriftlessApi;
  readonly #pollMs: number;

  models = $state<ModelInfo[]>([]);
  status = $state<LoadStatus>('idle');
  error = $state<string>();
  /** The latest download job per model id. */
  downloads = $state<Record<string, JobInfo>>({});
  /** The job switching the search model that this section started, while it runs and after. */
  switching = $state<JobInfo>();

  constructor(api: DriftlessApi, options: { pollMs?: number } = {}) {
    this.#api = api;
    this.#pollMs = options.pollMs ?? 500;
  }

  async load(): Promise<void> {
    if (this.status !== 'ready') this.status = 'loading';
    try {
      this.models = await this.#api.listModels({});
      this.status = 'ready';
    } catch (error) {
      this.error = describeError(error);
      this.status = 'error';
    }
  }

  /** Starts (or resumes) a download and follows its job until it ends. */
  async download(id: string): Promise<void> {
    this.error = undefined;
    try {
      const { jobId } = await this.#api.downloadModel({ id });
      this.downloads[id] = { id: jobId, kind: 'download', state: 'queued', label: `Download ${id}`, done: 0 };
      await this.#follow(jobId);
      if (this.downloads[id]?.state === 'finished') await this.load();
    } catch (error) {
      this.error = describeError(error);
    }
  }

  async cancel(id: string): Promise<void> {
    const job = this.downloads[id];
    if (!job) return;
    try {
      this.applyJob(await this.#api.cancelJob({ jobId: job.id }));
    } catch (error) {
      this.error = describeError(error);
    }
  }

  async remove(id: string): Promise<void> {
    this.error = undefined;
    try {
      await this.#api.removeModel({ id });
      delete this.downloads[id];
      await this.load();
    } catch (error) {
      this.error = describeError(error);
    }
  }

  /**
   * Switches search to an installed model, or to the bundled encoder with 'bundled', and follows
   * the job that builds its index; search keeps using the current model until that job finishes.
   */
  async use(id: string): Promise<void> {
    this.error = undefined;
    try {
      const { jobId } = await this.#api.useModel({ id });
      this.switching = { id: jobId, kind: 'reindex', state: 'queued', label: 'Switch search model', done: 0 };
      await this.#follow(jobId);
      if (this.switching?.state === 'failed') this.error = this.switching.error ?? 'The switch failed.';
      await this.load();
    } catch (error) {
      this.error = describeError(error);
    }
  }

  /** The name of the model search uses now. */
  get searchModelName(): string {
    return this.models.find((model) => model.usedForSearch)?.name ?? 'the bundled encoder';
  }

  /** Takes an update of a download or switch job this section started. */
  applyJob(job: JobInfo): void {
    if (this.switching?.id === job.id) this.switching = job;
    const id = Object.keys(this.downloads).find((key) => this.downloads[key]?.id === job.id);
    if (!id) return;
    this.downloads[id] = job;
  }

  /** What to tell the user about a download that did not finish; undefined otherwise. */
  failure(id: string): string | undefined {
    const job = this.downloads[id];
    if (job?.state === 'cancelled') return 'Download cancelled. Press Download to resume where it stopped.';
    if (job?.state !== 'failed') return undefined;
    if (job.errorCode === 'OFFLINE')
      return 'Offline: the model host cannot be reached. Check the connection and press Download again; it resumes where it stopped.';
    return job.error ?? 'The download failed.';
  }

  async #follow(jobId: string): Promise<void> {
    for (;;) {
      const job = (await this.#api.listJobs({})).find((j) => j.id === jobId);
      if (job) this.applyJob(job);
      if (!job || ENDED.has(job.state)) break;
      await new Promise((resolve) => setTimeout(resolve, this.#pollMs));
    }
  }
}
