import type { DriftlessApi, Settings } from '../contract.ts';
import { describeError, type LoadStatus } from './errors.ts';

export type ThemeChoice = Settings['theme'];

/** The settings form: loads, saves a partial change, and knows the chosen theme. */
export class SettingsState {
  readonly #api: DriftlessApi;

  settings = $state<Settings>();
  status = $state<LoadStatus>('idle');
  error = $state<string>();
  saving = $state(false);
  savedAt = $state<number>();

  theme = $derived<ThemeChoice>(this.settings?.theme ?? 'system');

  constructor(api: DriftlessApi) {
    this.#api = api;
  }

  async load(): Promise<void> {
    this.status = 'loading';
    try {
      this.settings = await this.#api.getSettings({});
      this.status = 'ready';
    } catch (error) {
      this.error = describeError(error);
      this.status = 'error';
    }
  }

  /** Saves the changed fields; the core validates them and answers with the full settings. */
  async save(change: Partial<Settings>): Promise<boolean> {
    this.saving = true;
    this.error = undefined;
    try {
      this.settings = await this.#api.updateSettings({ settings: change });
      this.savedAt = Date.now();
      return true;
    } catch (error) {
      this.error = describeError(error);
      return false;
    } finally {
      this.saving = false;
    }
  }

  reset(): void {
    this.settings = undefined;
    this.status = 'idle';
    this.error = this.savedAt = undefined;
  }
}
