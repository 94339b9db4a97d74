import fs from 'node:fs/promises';
import path from 'node:path';
import { Emitter, logFailure, writeError, writeJsonAtomic } from '../base/index.ts';
import { withShortLock } from '../jobs/index.ts';
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from '../service/contract.ts';
import {
  mergeSettings,
  readSettingsFile,
  readValidSettings,
  repairSettingsFile,
  stampOf,
  type FileStamp,
  type SettingsPatch,
} from './settingsFile.ts';

export type { SettingsPatch } from './settingsFile.ts';
export { validSettings } from './settingsFile.ts';
export { DEFAULT_SETTINGS };

/**
 * User settings in `settings.json`, the one source of truth for every process on the data folder
 * (the window, `driftless serve`, the command line): missing keys take their defaults, and a
 * damaged file never stops the app (repairSettingsFile says how each kind of damage is handled).
 *
 * Each update reads the file's latest content, applies only the groups it was given, and writes
 * the file atomically, under a lock file that processes take in turn, so a save never drops another
 * process's change. `current()` reads the file again whenever a stat shows it changed; `value` is
 * the settings as last read, which a running app keeps fresh by watching the file (settingsFollower).
 */
export class SettingsStore {
  /** Told the new settings whenever those held change: read from the file or saved here. */
  readonly changes = new Emitter<Settings>();
  #value: Settings = DEFAULT_SETTINGS;
  /** The version of the file that `#value` came from or was saved as. */
  #stamp: FileStamp | undefined;
  /** Reads and updates of this process, one at a time, each starting from what the one before left. */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly file: string) {}

  static async open(dataDir: string): Promise<SettingsStore> {
    const store = new SettingsStore(path.join(dataDir, 'settings.json'));
    await store.#load({ opening: true });
    return store;
  }

  /** The settings as last read or saved (a copy). */
  get value(): Settings {
    return structuredClone(this.#value);
  }

  /** The settings as the file holds them now: read again only when a stat shows another version. */
  current(): Promise<Settings> {
    return this.#serially(async () => {
      if ((await stampOf(this.file)).id !== this.#stamp?.id) await this.#load({ opening: false });
      return this.value;
    });
  }

  /**
   * Reads the file again, changed or not by what a stat shows: a file system with coarse times
   * can hide a rewrite of the same size from the stamp, never from a change notice.
   */
  reload(): Promise<Settings> {
    return this.#serially(async () => {
      await this.#load({ opening: false });
      return this.value;
    });
  }

  /** Applies `patch` (whole groups) to the file's latest settings and saves them; the result is saved. */
  update(patch: SettingsPatch): Promise<Settings> {
    return this.#serially(async () => {
      // The lock file lies beside the settings: a data folder not made yet is made first.
      const dir = path.dirname(this.file);
      await fs.access(dir).catch(() => fs.mkdir(dir, { recursive: true }));
      return this.#locked('saving the settings', async () => {
        const stamp = await stampOf(this.file);
        const latest =
          stamp.id === this.#stamp?.id
            ? this.#value
            : ((await readSettingsFile(this.file)) ?? (await repairSettingsFile(this.file)));
        const next = settingsSchema.parse(mergeSettings(latest, patch));
        await writeJsonAtomic(this.file, next);
        this.#hold(next, await stampOf(this.file));
        return this.value;
      });
    });
  }

  async #load({ opening }: { opening: boolean }): Promise<void> {
    const stamp = await stampOf(this.file);
    // An editor that saves in place empties the file before writing it: that change is not the
    // settings yet, and the write's own change notice reads it. When opening, an empty file is damage.
    if (!opening && stamp.empty && stamp.id !== 'missing') return;
    const clean = await readSettingsFile(this.file);
    if (clean) return this.#hold(clean, stamp);
    // Repairs move and rewrite the file: under the lock, so no other process's save is moved aside.
    try {
      await this.#locked('repairing the settings', async () => {
        const repaired = await repairSettingsFile(this.file);
        this.#hold(repaired, await stampOf(this.file));
      });
    } catch (error) {
      // A folder that cannot be written, or a lock held too long: the app still opens and runs
      // with the valid settings, and the repair is tried again at the next change or start.
      logFailure('Repairing settings.json', error);
      this.#hold(await readValidSettings(this.file), stamp);
    }
  }

  #hold(value: Settings, stamp: FileStamp): void {
    const changed = JSON.stringify(value) !== JSON.stringify(this.#value);
    this.#value = value;
    this.#stamp = stamp;
    if (changed) this.changes.emit(this.value);
  }

  async #locked<T>(purpose: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await withShortLock(`${this.file}.lock`, purpose, fn);
    } catch (error) {
      // A lock file that cannot be made (a read-only or full disk) fails as the write would.
      const errno = (error as NodeJS.ErrnoException | undefined)?.code;
      throw typeof errno === 'string' ? writeError(this.file, error) : error;
    }
  }

  #serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn);
    // The caller gets the failure; the next in line still runs.
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
