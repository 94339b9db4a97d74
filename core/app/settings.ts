import path from 'node:path';
import { readJsonFile, writeJsonAtomic } from '../base/index.ts';
import { settingsSchema, type Settings } from '../service/contract.ts';

export const DEFAULT_SETTINGS: Settings = {
  adaptation: {
    enabled: true,
    afterNewNotes: 200,
    afterFeedbackEvents: 50,
    scheduleHours: 24,
    onlyWhenIdle: true,
    onlyOnPower: true,
  },
  backfill: { enabled: false, chunksPerMinute: 600 },
  shortcut: 'CommandOrControl+Shift+Space',
  theme: 'system',
  ignore: [],
  maxFileBytes: 10 * 1024 * 1024,
};

/** User settings in `settings.json`; missing keys take their defaults, invalid files are refused. */
export class SettingsStore {
  #value: Settings;

  private constructor(
    readonly file: string,
    value: Settings,
  ) {
    this.#value = value;
  }

  static async open(dataDir: string): Promise<SettingsStore> {
    const file = path.join(dataDir, 'settings.json');
    const stored = await readJsonFile(file, settingsSchema.partial());
    return new SettingsStore(file, merge(DEFAULT_SETTINGS, stored ?? {}));
  }

  get value(): Settings {
    return structuredClone(this.#value);
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const next = settingsSchema.parse(merge(this.#value, patch));
    await writeJsonAtomic(this.file, next);
    this.#value = next;
    return this.value;
  }
}

function merge(base: Settings, patch: Partial<Settings>): Settings {
  return {
    ...base,
    ...patch,
    adaptation: { ...base.adaptation, ...patch.adaptation },
    backfill: { ...base.backfill, ...patch.backfill },
  };
}
