import fs from 'node:fs/promises';
import { DriftlessError, writeFileAtomic } from '../base/index.ts';
import type { Compensator } from './compensator.ts';
import { decodeCompensator, encodeCompensator } from './compensatorCodec.ts';

/**
 * Writes a compensator file atomically (temp file, fsync, rename), so a crash leaves either the
 * previous file or the complete new one.
 * @throws DriftlessError IO when the file cannot be written.
 */
export async function saveCompensator(filePath: string, compensator: Compensator): Promise<void> {
  try {
    await writeFileAtomic(filePath, encodeCompensator(compensator));
  } catch (error) {
    throw new DriftlessError('IO', `Cannot write ${filePath}: ${(error as Error).message}`, undefined, {
      cause: error,
    });
  }
}

/**
 * Reads and verifies a compensator file (schema, checksum, sizes, finiteness).
 * @param options.expectedDims refuse a file whose dimensions differ (e.g. from the encoder's).
 * @throws DriftlessError NOT_FOUND when the file is missing, IO when unreadable, CORRUPT when invalid.
 */
export async function loadCompensator(
  filePath: string,
  options: { expectedDims?: number } = {},
): Promise<Compensator> {
  let text: string;
  try {
    text = await fs.readFile(filePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'NOT_FOUND' : 'IO';
    throw new DriftlessError(code, `Cannot read ${filePath}: ${(error as Error).message}`, undefined, {
      cause: error,
    });
  }
  try {
    return decodeCompensator(text, options.expectedDims);
  } catch (error) {
    if (error instanceof DriftlessError)
      throw new DriftlessError(error.code, `${filePath}: ${error.message}`, { path: filePath });
    throw error;
  }
}
