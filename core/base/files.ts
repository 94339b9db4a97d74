import fs from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { DriftlessError } from './errors.ts';

/**
 * Writes a file so that readers see either the old or the new content, never a torn one:
 * temp file, fsync, rename, fsync of the folder (a crash or power loss keeps one of the two).
 */
export async function writeFileAtomic(filePath: string, data: string | Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(filePath), { recursive: true });
  const temp = `${filePath}.${process.pid}.${Date.now()}.tmp`;
  const handle = await fs.open(temp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temp, filePath);
  await syncDir(path.dirname(filePath));
}

export async function writeJsonAtomic(filePath: string, value: unknown): Promise<void> {
  await writeFileAtomic(filePath, JSON.stringify(value, null, 2) + '\n');
}

/** Reads and validates a JSON file; undefined when it does not exist, CORRUPT when it is invalid. */
export async function readJsonFile<T>(filePath: string, schema: z.ZodType<T>): Promise<T | undefined> {
  let raw: string;
  try {
    raw = await fs.readFile(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DriftlessError('IO', `Cannot read ${filePath}: ${(error as Error).message}`, undefined, {
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new DriftlessError('CORRUPT', `${filePath} is not valid JSON.`, undefined, { cause: error });
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new DriftlessError(
      'CORRUPT',
      `${filePath} is invalid: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    );
  }
  return result.data;
}

async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename itself is still atomic there.
  }
}
