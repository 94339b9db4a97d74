import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { DriftlessError, logFailure } from '../base/index.ts';
import type { ModelEntry } from './catalogue.ts';
import { digestFile } from './download.ts';
import { isFile } from './localFiles.ts';

/** The record written as the last step of an install; a model folder without it is not installed. */
export const INSTALLED_RECORD = 'installed.json';

const installedSchema = z.object({
  id: z.string(),
  repo: z.string(),
  revision: z.string(),
  source: z.enum(['download', 'import']),
  installedAt: z.string(),
  /** The hashes observed at install time; for files the catalogue has no hash for, these are trusted on first use. */
  files: z.array(z.object({ path: z.string(), sha256: z.string(), size: z.number() })),
});

export type InstalledRecord = z.infer<typeof installedSchema>;

/** Reads `<dir>/installed.json`; null when absent or unreadable (the model counts as not installed). */
export async function readInstalledRecord(dir: string): Promise<InstalledRecord | null> {
  const file = path.join(dir, INSTALLED_RECORD);
  try {
    const parsed = installedSchema.safeParse(JSON.parse(await fs.readFile(file, 'utf8')));
    if (!parsed.success) logFailure(`Reading ${file}`, parsed.error);
    return parsed.success ? parsed.data : null;
  } catch (error) {
    // No record is the usual case: a model never downloaded, or a download still in progress.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logFailure(`Reading ${file}`, error);
    return null;
  }
}

export function installedRecord(
  entry: ModelEntry,
  source: InstalledRecord['source'],
  files: InstalledRecord['files'],
): InstalledRecord {
  return {
    id: entry.id,
    repo: entry.repo,
    revision: entry.revision,
    source,
    installedAt: new Date().toISOString(),
    files,
  };
}

export async function writeInstalledRecord(dir: string, record: InstalledRecord): Promise<void> {
  await fs.writeFile(path.join(dir, INSTALLED_RECORD), `${JSON.stringify(record, null, 2)}\n`);
}

/**
 * Re-hashes installed files against the catalogue hash, or the hash recorded at install time.
 * @throws DriftlessError NOT_FOUND when a file is missing, CORRUPT when one changed.
 */
export async function verifyInstalled(
  dir: string,
  entry: ModelEntry,
  record: InstalledRecord,
  signal?: AbortSignal,
): Promise<void> {
  for (const file of entry.files) {
    const target = path.join(dir, file.path);
    if (!(await isFile(target)))
      throw new DriftlessError('NOT_FOUND', `The model file ${target} is missing.`, {
        id: entry.id,
        file: file.path,
      });
    const expected = file.sha256 ?? record.files.find((f) => f.path === file.path)?.sha256;
    const actual = (await digestFile(target, signal)).sha256;
    if (actual !== expected) {
      throw new DriftlessError(
        'CORRUPT',
        `The model file ${target} changed since it was installed; download or import the model again.`,
        {
          id: entry.id,
          file: file.path,
          expected,
          actual,
        },
      );
    }
  }
}
