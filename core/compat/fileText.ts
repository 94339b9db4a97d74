import fs from 'node:fs/promises';
import { DriftlessError, writeFileAtomic } from '../base/index.ts';

/**
 * Reads a map's file as text.
 * @throws DriftlessError NOT_FOUND when the file is missing, IO when it cannot be read.
 */
export async function readMapFile(filePath: string): Promise<string> {
  try {
    return await fs.readFile(filePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'NOT_FOUND' : 'IO';
    throw new DriftlessError(code, `Cannot read ${filePath}: ${(error as Error).message}`, undefined, {
      cause: error,
    });
  }
}

/**
 * Writes a map's file atomically (temp file, fsync, rename), so a crash leaves either the previous
 * file or the complete new one.
 * @throws DriftlessError IO when the file cannot be written.
 */
export async function writeMapFile(filePath: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(filePath, text);
  } catch (error) {
    throw new DriftlessError('IO', `Cannot write ${filePath}: ${(error as Error).message}`, undefined, {
      cause: error,
    });
  }
}
