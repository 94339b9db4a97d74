import path from 'node:path';
import type { z } from 'zod';
import { readJsonFile, writeJsonAtomic } from '../base/index.ts';
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from '../service/contract.ts';

/** What `settings.json` may hold: any subset, nested groups included (missing keys take defaults). */
const storedSettingsSchema = settingsSchema.partial().extend({
  adaptation: settingsSchema.shape.adaptation.partial().optional(),
  backfill: settingsSchema.shape.backfill.partial().optional(),
});

export type SettingsPatch = z.infer<typeof storedSettingsSchema>;

export { DEFAULT_SETTINGS };

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
    const stored = await readJsonFile(file, storedSettingsSchema);
    return new SettingsStore(file, merge(DEFAULT_SETTINGS, stored ?? {}));
  }

  get value(): Settings {
    return structuredClone(this.#value);
  }

  async update(patch: SettingsPatch): Promise<Settings> {
    const next = settingsSchema.parse(merge(this.#value, patch));
    await writeJsonAtomic(this.file, next);
    this.#value = next;
    return this.value;
  }
}

function merge(base: Settings, patch: SettingsPatch): Settings {
  return {
    ...base,
    ...patch,
    adaptation: { ...base.adaptation, ...patch.adaptation },
    backfill: { ...base.backfill, ...patch.backfill },
  };
}
