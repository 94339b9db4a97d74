import type { DriftlessApi, VersionInfo } from '../contract.ts';
import { describeError, type LoadStatus } from './errors.ts';

/** Encoder versions, oldest first, with rollback. */
export class VersionsState {
  readonly #api: DriftlessApi;

  versions = $state<VersionInfo[]>([]);
  status = $state<LoadStatus>('idle');
  error = $state<string>();
  rollingBack = $state<string>();

  current = $derived(this.versions.find((v) => v.current));
  /** Newest first for the timeline. */
  timeline = $derived([...this.versions].sort((a, b) => b.createdMs - a.createdMs));

  constructor(api: DriftlessApi) {
    this.#api = api;
  }

  async refresh(): Promise<void> {
    if (this.status !== 'ready') this.status = 'loading';
    try {
      this.versions = await this.#api.listVersions({});
      this.status = 'ready';
    } catch (error) {
      this.error = describeError(error);
      this.status = 'error';
    }
  }

  /** Makes an earlier version current again; nothing is re-embedded. */
  async rollback(version: string): Promise<void> {
    this.rollingBack = version;
    this.error = undefined;
    try {
      await this.#api.rollback({ version });
      await this.refresh();
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.rollingBack = undefined;
    }
  }

  reset(): void {
    this.versions = [];
    this.status = 'idle';
    this.error = this.rollingBack = undefined;
  }
}
