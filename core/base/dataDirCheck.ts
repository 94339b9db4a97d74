import fs from 'node:fs/promises';
import path from 'node:path';
import { DriftlessError } from './errors.ts';

/**
 * Makes sure the data folder exists, creating it one level at a time, and fails at once with a
 * sentence for people when it cannot be used. Node's recursive mkdir loops for ever where a parent
 * refuses new folders without saying why (`/proc/nope`), and says only `EEXIST … mkdir` when the
 * path is a file.
 *
 * @throws DriftlessError INVALID_ARGUMENT when the path or one of its parents is a file; IO when
 * the folder cannot be created.
 */
export async function ensureDataDir(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const stat = await statOrMissing(current, dir);
    if (stat?.isDirectory()) break;
    if (stat) throw notAFolder(dir, current);
    missing.unshift(current);
    if (path.dirname(current) === current) break;
  }
  for (const folder of missing) {
    try {
      await fs.mkdir(folder);
    } catch (error) {
      if (codeOf(error) === 'EEXIST' && (await fs.stat(folder)).isDirectory()) continue;
      throw cannotCreate(dir, error);
    }
  }
}

async function statOrMissing(candidate: string, dir: string) {
  try {
    return await fs.stat(candidate);
  } catch (error) {
    // ENOTDIR: a parent is a file; the walk up finds which one.
    if (codeOf(error) === 'ENOENT' || codeOf(error) === 'ENOTDIR') return undefined;
    throw cannotCreate(dir, error);
  }
}

function notAFolder(dir: string, file: string): DriftlessError {
  return new DriftlessError(
    'INVALID_ARGUMENT',
    `The data folder ${dir} cannot be used: ${file} is a file, not a folder. Choose a folder with --data-dir (or DRIFTLESS_DATA_DIR).`,
  );
}

function cannotCreate(dir: string, error: unknown): DriftlessError {
  const reason = REASONS[codeOf(error) ?? ''] ?? (error instanceof Error ? error.message : String(error));
  return new DriftlessError(
    'IO',
    `The data folder ${dir} cannot be created: ${reason}. Choose another with --data-dir (or DRIFTLESS_DATA_DIR).`,
    undefined,
    { cause: error },
  );
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  // Where a parent exists but takes no new folders, as in /proc or /sys.
  ENOENT: 'its parent folder does not accept new folders',
};

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error && 'code' in error ? String(error.code) : undefined;
}
