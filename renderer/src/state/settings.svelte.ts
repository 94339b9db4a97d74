import type { DriftlessApi, JobInfo, Settings, StatusInfo } from '../contract.ts';
import { describeError, type LoadStatus } from './errors.ts';
import { ModelsState } from './settingsModels.svelte.ts';

export type ThemeChoice = Settings['theme'];

/** The settings form: loads, saves a partial change, and knows the chosen theme. */
export class SettingsState {
  readonly #api: DriftlessApi;

  settings = $state<Settings>();
  status = $state<LoadStatus>('idle');
  error = $state<string>();
  saving = $state(false);
  savedAt = $state<number>();
  /** Why the last save was refused, per field ('adaptation.afterNewNotes', 'maxFileBytes'…), shown beside it. */
  fieldErrors = $state<Record<string, string>>({});
  /**
   * Counts the times the settings changed elsewhere (another window, `driftless settings set`)
   * while shown here: the form starts again from them, so it never shows or saves stale values.
   */
  revision = $state(0);
  /** What runs the encoder and its training, from the status call; undefined until known. */
  engine = $state<Pick<StatusInfo, 'encoder' | 'trainingBackend' | 'trainingBackendReason'>>();

  theme = $derived<ThemeChoice>(this.settings?.theme ?? 'system');

  /** The Models section: the catalogue, its installs and downloads. */
  readonly models: ModelsState;

  constructor(api: DriftlessApi) {
    this.#api = api;
    this.models = new ModelsState(api);
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
    await this.loadEngine();
  }

  /**
   * Refreshes the engine when an adaptation starts training (its backend and the reason are
   * reported just before its first training progress) and when it ends (a fallback may have moved
   * it to another backend).
   */
  followTraining(job: JobInfo): void {
    const startsTraining = job.state === 'running' && job.phase === 'train' && job.done === 0;
    if (startsTraining || job.state === 'finished' || job.state === 'failed') void this.loadEngine();
  }

  /** Best effort: the settings work without it, so a failed status call only leaves it unknown. */
  async loadEngine(): Promise<void> {
    try {
      const { encoder, trainingBackend, trainingBackendReason } = await this.#api.status({});
      this.engine = {
        encoder,
        ...(trainingBackend ? { trainingBackend } : {}),
        ...(trainingBackendReason ? { trainingBackendReason } : {}),
      };
    } catch {
      this.engine = undefined;
    }
  }

  /**
   * Takes the settings as saved now, after a `settings-changed` event; the settings, or undefined
   * when none are shown yet or this window is saving (its save answers with the newer ones).
   */
  async refresh(): Promise<Settings | undefined> {
    if (this.status !== 'ready' || this.saving) return undefined;
    let latest: Settings;
    try {
      latest = await this.#api.getSettings({});
    } catch {
      return undefined; // the form keeps what it shows; the next change asks again
    }
    if (this.saving) return undefined;
    if (JSON.stringify(latest) !== JSON.stringify(this.settings)) {
      this.settings = latest;
      this.revision += 1;
    }
    return latest;
  }

  /**
   * Saves the settings (groups whole) that differ from those shown, so a save here never puts back
   * a value another process changed since in a setting this window did not touch. The core
   * validates them and answers with the full settings.
   */
  async save(change: Partial<Settings>): Promise<boolean> {
    this.saving = true;
    this.error = undefined;
    this.fieldErrors = {};
    this.savedAt = undefined;
    try {
      this.settings = await this.#api.updateSettings({ settings: changedFrom(this.settings, change) });
      this.savedAt = Date.now();
      return true;
    } catch (error) {
      this.fieldErrors = fieldErrorsOf(error);
      this.error = `The settings were not saved: ${describeError(error)}`;
      return false;
    } finally {
      this.saving = false;
    }
  }

  reset(): void {
    this.settings = undefined;
    this.status = 'idle';
    this.error = this.savedAt = undefined;
    this.fieldErrors = {};
  }
}

/** The settings of `change` whose values differ from `shown` (all of them when none are shown). */
function changedFrom(shown: Settings | undefined, change: Partial<Settings>): Partial<Settings> {
  if (!shown) return change;
  return Object.fromEntries(
    Object.entries(change).filter(
      ([key, value]) => JSON.stringify(value) !== JSON.stringify(shown[key as keyof Settings]),
    ),
  );
}

/** The refused fields of a save, from the issues the API sends with INVALID_ARGUMENT. */
function fieldErrorsOf(error: unknown): Record<string, string> {
  const details = typeof error === 'object' && error && 'details' in error ? error.details : undefined;
  const issues = typeof details === 'object' && details && 'issues' in details ? details.issues : undefined;
  const byField: Record<string, string> = {};
  if (!Array.isArray(issues)) return byField;
  for (const issue of issues as Array<{ path?: unknown; message?: unknown }>) {
    if (typeof issue.path !== 'string' || typeof issue.message !== 'string') continue;
    const field = issue.path.replace(/^settings\./, '');
    byField[field] ??= issue.message;
  }
  return byField;
}
