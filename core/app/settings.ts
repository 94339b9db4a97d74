import path from 'node:path';
import { z } from 'zod';
import { readJsonFileOrSetAside, setAsideDamaged, writeJsonAtomic } from '../base/index.ts';
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from '../service/contract.ts';

/** What `settings.json` may hold: any subset, nested groups included (missing keys take defaults). */
export type SettingsPatch = Partial<Omit<Settings, 'adaptation' | 'backfill'>> & {
  adaptation?: Partial<Settings['adaptation']>;
  backfill?: Partial<Settings['backfill']>;
};

export { DEFAULT_SETTINGS };

/**
 * User settings in `settings.json`; missing keys take their defaults. A damaged file never stops the
 * app: one that is not a JSON object is set aside and every setting takes its default; in an object,
 * each setting that is invalid (a wrong type, an unknown theme) takes its default on its own, the
 * others are kept, and the file as it was is set aside with a note of which settings were reset.
 */
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
    const raw = await readJsonFileOrSetAside(file, z.record(z.string(), z.unknown()));
    if (!raw) return new SettingsStore(file, DEFAULT_SETTINGS);
    const { kept, reset } = validSettings(raw);
    const value = merge(DEFAULT_SETTINGS, kept);
    if (reset.length > 0) {
      await setAsideDamaged(file, `invalid settings reset to their defaults: ${reset.join(', ')}`);
      await writeJsonAtomic(file, value);
    }
    return new SettingsStore(file, value);
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

/** The stored settings that are valid, field by field (groups too), and the names of those that are not. */
export function validSettings(raw: Record<string, unknown>): { kept: SettingsPatch; reset: string[] } {
  const kept: Record<string, unknown> = {};
  const reset: string[] = [];
  const shape = settingsSchema.shape;
  for (const [key, value] of Object.entries(raw)) {
    if (!(key in shape)) {
      reset.push(key);
      continue;
    }
    const field = shape[key as keyof typeof shape];
    if (key === 'adaptation' || key === 'backfill') {
      const group = validGroup(field as z.ZodObject, value, key);
      if (group.kept) kept[key] = group.kept;
      reset.push(...group.reset);
    } else if (field.safeParse(value).success) kept[key] = value;
    else reset.push(key);
  }
  return { kept: kept as SettingsPatch, reset };
}

function validGroup(group: z.ZodObject, value: unknown, name: string) {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { kept: undefined, reset: [name] };
  const kept: Record<string, unknown> = {};
  const reset: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const field = group.shape[key] as z.ZodType | undefined;
    if (field?.safeParse(item).success) kept[key] = item;
    else reset.push(`${name}.${key}`);
  }
  return { kept, reset };
}

function merge(base: Settings, patch: SettingsPatch): Settings {
  return {
    ...base,
    ...patch,
    adaptation: { ...base.adaptation, ...patch.adaptation },
    backfill: { ...base.backfill, ...patch.backfill },
  };
}
