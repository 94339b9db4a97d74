import { DriftlessError } from '../base/index.ts';
import type { Compensator } from './compensator.ts';
import { decodeCompensator, encodeCompensator } from './compensatorCodec.ts';
import { readMapFile, writeMapFile } from './fileText.ts';

/**
 * Writes a compensator file atomically, so a crash leaves either the previous file or the complete
 * new one.
 * @throws DriftlessError IO when the file cannot be written.
 */
export async function saveCompensator(filePath: string, compensator: Compensator): Promise<void> {
  await writeMapFile(filePath, encodeCompensator(compensator));
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
  const text = await readMapFile(filePath);
  try {
    return decodeCompensator(text, options.expectedDims);
  } catch (error) {
    if (error instanceof DriftlessError)
      throw new DriftlessError(error.code, `${filePath}: ${error.message}`, { path: filePath });
    throw error;
  }
}
