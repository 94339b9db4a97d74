import fs from 'node:fs/promises';
import path from 'node:path';
import { DriftlessError } from '../base/index.ts';
import type { ModelEntry } from './catalogue.ts';

/** True when `file` exists and is a regular file. */
export async function isFile(file: string): Promise<boolean> {
  return fs.stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** Finds each catalogue file in `folder`, at its repository path or by its base name. */
export async function locateFiles(entry: ModelEntry, folder: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const missing: string[] = [];
  for (const file of entry.files) {
    const candidates = [path.join(folder, file.path), path.join(folder, path.basename(file.path))];
    const hit = await firstExisting(candidates);
    if (hit) found.set(file.path, hit);
    else missing.push(file.path);
  }
  if (missing.length > 0)
    throw new DriftlessError(
      'NOT_FOUND',
      `The folder ${folder} lacks ${missing.join(', ')} for model "${entry.id}".`,
      { folder, missing },
    );
  return found;
}

async function firstExisting(candidates: string[]): Promise<string | undefined> {
  for (const candidate of candidates) if (await isFile(candidate)) return candidate;
  return undefined;
}
