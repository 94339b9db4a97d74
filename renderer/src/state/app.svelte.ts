import type { ApiEvent, JobInfo } from '../contract.ts';
import type { Connection } from '../api.ts';
import { FoldersState } from './folders.svelte.ts';
import { IndexHealthState, reportingDamage } from './indexHealth.svelte.ts';
import { JobsState } from './jobs.svelte.ts';
import { NavState } from './nav.svelte.ts';
import { SearchState } from './search.svelte.ts';
import { SettingsState } from './settings.svelte.ts';
import { VersionsState } from './versions.svelte.ts';

/** Every state object of the window, wired to one connection and its event stream. */
export class AppState {
  readonly nav = new NavState();
  readonly search: SearchState;
  readonly folders: FoldersState;
  readonly jobs: JobsState;
  readonly versions: VersionsState;
  readonly settings: SettingsState;
  readonly health: IndexHealthState;
  readonly mode: Connection['mode'];
  readonly pickFolder: Connection['pickFolder'];
  #unsubscribe: (() => void) | undefined;
  readonly #connection: Connection;

  constructor(connection: Connection) {
    this.#connection = connection;
    this.mode = connection.mode;
    this.pickFolder = connection.pickFolder;
    this.health = new IndexHealthState(connection.api);
    // Every view's calls: one that meets a damaged index brings up the damage and its Repair.
    const api = reportingDamage(connection.api, () => void this.health.refresh());
    this.search = new SearchState(api);
    this.folders = new FoldersState(api);
    this.jobs = new JobsState(api);
    this.versions = new VersionsState(api);
    this.settings = new SettingsState(api);
  }

  /** Loads the first data and follows the event stream until `stop`. */
  start(): void {
    this.#unsubscribe = this.#connection.onEvent((event) => this.#onEvent(event));
    void this.folders.refresh();
    void this.jobs.refresh();
    void this.versions.refresh();
    void this.settings.load();
    void this.search.loadMode();
    void this.search.loadMarks();
    void this.health.refresh();
  }

  stop(): void {
    this.#unsubscribe?.();
  }

  /** A folder's counts follow its import: after each committed batch, and once it ends. */
  #followImport(job: JobInfo): void {
    const ended = job.state === 'finished' || job.state === 'failed' || job.state === 'cancelled';
    if (ended || (job.state === 'running' && job.phase === 'index')) this.folders.refreshCounts();
  }

  #onEvent(event: ApiEvent): void {
    switch (event.type) {
      case 'job':
        this.jobs.apply(event.job);
        if (event.job.kind === 'download') this.settings.models.applyJob(event.job);
        if (event.job.kind === 'adapt') this.settings.followTraining(event.job);
        if (event.job.kind === 'import') this.#followImport(event.job);
        this.health.applyJob(event.job);
        break;
      case 'index-changed':
      case 'folders-changed':
        void this.folders.refresh();
        break;
      case 'versions-changed':
        void this.versions.refresh();
        break;
      case 'settings-changed':
        void this.#followSettings();
        break;
    }
  }

  /** Settings changed here or elsewhere: the Settings view and the search mode show them. */
  async #followSettings(): Promise<void> {
    const settings = await this.settings.refresh();
    if (settings) await this.search.followMode(settings.searchMode);
  }
}
