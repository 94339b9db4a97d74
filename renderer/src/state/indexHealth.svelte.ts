import type { DriftlessApi, IndexDamage, JobInfo } from '../contract.ts';
import { describeError } from './errors.ts';

const ENDED = new Set(['finished', 'failed', 'cancelled']);

/**
 * Whether the search index is damaged (from `status`), and the repair the window runs for it:
 * `repairIndex` moves the damaged index aside and queues an import of every folder; the repair is
 * followed through the import jobs' events until none is left, then status is read again.
 */
export class IndexHealthState {
  readonly #api: DriftlessApi;

  damage = $state<IndexDamage>();
  phase = $state<'idle' | 'repairing' | 'repaired' | 'failed'>('idle');
  /** The running step of the repair, e.g. "Import ~/notes: index 3 of 6". */
  progress = $state('');
  /** What the repair did, or why it failed. */
  result = $state('');
  /** Import jobs seen since the repair started, by id: the repair is over once all have ended. */
  #jobs: Record<string, JobInfo> = {};
  #asked = false;
  #setAsideTo = '';

  constructor(api: DriftlessApi) {
    this.#api = api;
  }

  /** Best effort: a failed status call leaves the last answer (the views show their own errors). */
  async refresh(): Promise<void> {
    try {
      this.damage = (await this.#api.status({})).indexDamaged;
      // Damaged again after a finished repair: offer Repair again rather than the old result.
      if (this.damage && this.phase === 'repaired') this.phase = 'idle';
    } catch {
      // Nothing to add: every view reports what it could not load.
    }
  }

  async repair(): Promise<void> {
    if (this.phase === 'repairing') return;
    this.phase = 'repairing';
    this.progress = 'Starting the repair…';
    this.result = '';
    this.#jobs = {};
    this.#asked = false;
    try {
      const { setAsideTo, jobIds } = await this.#api.repairIndex({});
      this.#setAsideTo = setAsideTo;
      // Jobs whose events have not arrived yet still count as running.
      for (const id of jobIds) this.#jobs[id] ??= { id, state: 'queued' } as JobInfo;
      this.#asked = true;
      await this.#finishIfDone();
    } catch (error) {
      this.phase = 'failed';
      this.result = `The repair could not start: ${describeError(error)}`;
    }
  }

  /** Job events: a repair in progress follows every import; a sync that hits damage shows it. */
  applyJob(job: JobInfo): void {
    if (job.kind !== 'import') return;
    if (this.phase !== 'repairing') {
      if (job.state === 'failed' && job.errorCode === 'INDEX_DAMAGED') void this.refresh();
      return;
    }
    this.#jobs[job.id] = job;
    if (!ENDED.has(job.state)) this.progress = progressOf(job);
    void this.#finishIfDone();
  }

  async #finishIfDone(): Promise<void> {
    const jobs = Object.values(this.#jobs);
    if (!this.#asked || this.phase !== 'repairing' || jobs.some((job) => !ENDED.has(job.state))) return;
    const failed = jobs.find((job) => job.state !== 'finished');
    const status = await this.#api.status({}).catch(() => undefined);
    this.damage = status?.indexDamaged;
    if (failed || !status || this.damage) {
      this.phase = 'failed';
      const why = failed ? `${failed.label}: ${failed.error ?? failed.state}` : 'the index is still damaged';
      this.result = `The repair did not finish (${why}).`;
      return;
    }
    this.phase = 'repaired';
    this.result =
      `The index was rebuilt from your notes: ${status.notes} notes. ` +
      `The damaged index is kept in ${this.#setAsideTo}.`;
  }
}

function progressOf(job: JobInfo): string {
  const counts = job.total ? ` ${job.done} of ${job.total}` : '';
  return `${job.label}: ${job.phase ?? job.state}${counts}`;
}

/**
 * `api` whose calls that fail with INDEX_DAMAGED also call `onDamage`: whichever view meets the damage
 * first (a search, a folder list), the window then shows it with Repair.
 */
export function reportingDamage(api: DriftlessApi, onDamage: () => void): DriftlessApi {
  const methods = Object.entries(api).map(([name, method]) => [
    name,
    async (args: unknown) => {
      try {
        return await (method as (args: unknown) => Promise<unknown>)(args);
      } catch (error) {
        if (typeof error === 'object' && error && 'code' in error && error.code === 'INDEX_DAMAGED')
          onDamage();
        throw error;
      }
    },
  ]);
  return Object.freeze(Object.fromEntries(methods)) as DriftlessApi;
}
