import fs from 'node:fs/promises';
import { z } from 'zod';
import {
  DriftlessError,
  readJsonFile,
  readJsonFileOrSetAside,
  setAsideDamaged,
  writeJsonAtomic,
} from '../base/index.ts';
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from '../service/contract.ts';

/** What `settings.json` may hold: any subset, nested groups included (missing keys take defaults). */
export type SettingsPatch = Partial<Omit<Settings, 'adaptation' | 'backfill'>> & {
  adaptation?: Partial<Settings['adaptation']>;
  backfill?: Partial<Settings['backfill']>;
};

const storedSchema = z.record(z.string(), z.unknown());

/**
 * One version of the file as a stat sees it. Every save replaces the file (a new inode), and an
 * edit in place changes its size or times (ns), so another process's change shows here without
 * reading the file.
 */
export interface FileStamp {
  readonly id: string;
  readonly empty: boolean;
}

const MISSING: FileStamp = { id: 'missing', empty: true };

export async function stampOf(file: string): Promise<FileStamp> {
  try {
    const stats = await fs.stat(file, { bigint: true });
    return {
      id: [stats.dev, stats.ino, stats.size, stats.mtimeNs, stats.ctimeNs].join(':'),
      empty: stats.size === 0n,
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return MISSING;
    throw error;
  }
}

/**
 * The file's settings when it is missing (all defaults) or wholly valid; undefined when it is
 * damaged (not JSON, not an object, or a setting that is invalid), which only repairSettingsFile
 * may handle: it moves the file, so it must run under the settings lock.
 */
export async function readSettingsFile(file: string): Promise<Settings | undefined> {
  let raw: Record<string, unknown> | undefined;
  try {
    raw = await readJsonFile(file, storedSchema);
  } catch (error) {
    if (error instanceof DriftlessError && error.code === 'CORRUPT') return undefined;
    throw error;
  }
  if (!raw) return DEFAULT_SETTINGS;
  const { kept, reset } = validSettings(raw);
  return reset.length === 0 ? mergeSettings(DEFAULT_SETTINGS, kept) : undefined;
}

/**
 * Reads the file as opening the app always has: one that is not a JSON object is set aside and
 * every setting takes its default; in an object, each invalid setting takes its default on its
 * own, the others are kept, and the file as it was is set aside with a note of which were reset.
 */
export async function repairSettingsFile(file: string): Promise<Settings> {
  const raw = await readJsonFileOrSetAside(file, storedSchema);
  if (!raw) return DEFAULT_SETTINGS;
  const { kept, reset } = validSettings(raw);
  const value = mergeSettings(DEFAULT_SETTINGS, kept);
  if (reset.length > 0) {
    await setAsideDamaged(file, `invalid settings reset to their defaults: ${reset.join(', ')}`);
    await writeJsonAtomic(file, value);
  }
  return value;
}

/**
 * The valid settings of the file, each invalid one taking its default, changing nothing on disk:
 * for a data folder where the repair cannot be written.
 */
export async function readValidSettings(file: string): Promise<Settings> {
  try {
    const raw = await readJsonFile(file, storedSchema);
    return raw ? mergeSettings(DEFAULT_SETTINGS, validSettings(raw).kept) : DEFAULT_SETTINGS;
  } catch (error) {
    if (error instanceof DriftlessError && error.code === 'CORRUPT') return DEFAULT_SETTINGS;
    throw error;
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

export function mergeSettings(base: Settings, patch: SettingsPatch): Settings {
  return {
    ...base,
    ...patch,
    adaptation: { ...base.adaptation, ...patch.adaptation },
    backfill: { ...base.backfill, ...patch.backfill },
  };
}
