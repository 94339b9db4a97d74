import { constants as fsConstants } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { DriftlessError } from './errors.ts';
import { appendLogLine, LOG_FILE_NAME } from './log.ts';

let tempCounter = 0;

/**
 * Writes a file so that readers see either the old or the new content, never a torn one:
 * temp file, fsync, rename, fsync of the folder (a crash or power loss keeps one of the two).
 * A failed write (disk full, read-only folder) removes its temp file, leaves the old content in
 * place and throws an IO DriftlessError that says why, with the system's code in `details.errno`.
 */
export async function writeFileAtomic(filePath: string, data: string | Uint8Array): Promise<void> {
  // Unique per call: two writes of one file in the same millisecond must not share a temp file.
  const temp = `${filePath}.${process.pid}.${Date.now()}.${tempCounter++}.tmp`;
  try {
    await fs.mkdir(path.dirname(filePath), { recursive: true });
    const handle = await fs.open(temp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, filePath);
  } catch (error) {
    // The write's own error is the one to report; a temp file left behind is swept by a later start.
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw writeError(filePath, error);
  }
  await syncDir(path.dirname(filePath));
}

/** A clear error for a failed write; the original error stays the cause. */
export function writeError(filePath: string, error: unknown): DriftlessError {
  if (error instanceof DriftlessError) return error;
  const errno = (error as NodeJS.ErrnoException).code;
  const why =
    errno === 'ENOSPC' || errno === 'EDQUOT'
      ? 'the disk is full'
      : errno === 'EROFS' || errno === 'EACCES' || errno === 'EPERM'
        ? 'the folder is read-only or not writable'
        : (error as Error).message;
  return new DriftlessError(
    'IO',
    `Cannot write ${filePath}: ${why}. Nothing was changed.`,
    errno ? { errno, path: filePath } : { path: filePath },
    { cause: error },
  );
}

/**
 * Opens a regular file for reading, and only a regular file. A FIFO, socket or device is never
 * opened: opening a FIFO waits for a writer forever, holding a libuv thread (five of them stall
 * every file operation of the process). The path is checked first; a file swapped for a FIFO after
 * that check opens without waiting (O_NONBLOCK) and is refused by the check on the handle.
 * @throws an ENOTREG-coded error for anything but a regular file, the system's error otherwise.
 */
export async function openRegularFile(filePath: string): Promise<FileHandle> {
  if (!(await fs.stat(filePath)).isFile()) throw notRegular(filePath);
  // O_NONBLOCK only matters for special files; Windows has neither (the constant is undefined).
  const handle = await fs.open(filePath, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  try {
    if (!(await handle.stat()).isFile()) throw notRegular(filePath);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** The UTF-8 text of a regular file (see openRegularFile); special files are refused, never read. */
export async function readRegularTextFile(filePath: string): Promise<string> {
  const handle = await openRegularFile(filePath);
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

function notRegular(filePath: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`Not a regular file: ${filePath}`), { code: 'ENOTREG', path: filePath });
}

export async function writeJsonAtomic(filePath: string, value: unknown): Promise<void> {
  await writeFileAtomic(filePath, JSON.stringify(value, null, 2) + '\n');
}

/** Reads and validates a JSON file; undefined when it does not exist, CORRUPT when it is invalid. */
export async function readJsonFile<T>(filePath: string, schema: z.ZodType<T>): Promise<T | undefined> {
  let raw: string;
  try {
    raw = await readRegularTextFile(filePath);
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

/** A damaged side file that was moved aside so the app could start: where it went and why. */
export interface SideFileRepair {
  file: string;
  /** Where the damaged content now lies (undefined when it could not be moved). */
  movedTo?: string;
  problem: string;
  atMs: number;
}

const repairs: SideFileRepair[] = [];

/** The side files this process found damaged and set aside, oldest first (shown by `status`). */
export function sideFileRepairs(): readonly SideFileRepair[] {
  return [...repairs];
}

/**
 * Moves a damaged side file aside (`<name>.damaged-<ms>`, kept for the user to inspect), records the
 * repair for `status` and appends a line to `driftless.log` beside it. Never throws: a file that
 * cannot be moved is still recorded, and its caller carries on with defaults.
 */
export async function setAsideDamaged(filePath: string, problem: string): Promise<SideFileRepair> {
  const atMs = Date.now();
  const target = `${filePath}.damaged-${atMs}`;
  const movedTo = await fs.rename(filePath, target).then(
    () => target,
    () => undefined,
  );
  const repair: SideFileRepair = { file: filePath, ...(movedTo ? { movedTo } : {}), problem, atMs };
  repairs.push(repair);
  appendLogLine(
    path.join(path.dirname(filePath), LOG_FILE_NAME),
    `repaired ${filePath}: ${problem}${movedTo ? ` (moved to ${movedTo})` : ''}`,
  );
  return repair;
}

/**
 * readJsonFile for a side file the app can rebuild or default: a file that is not valid JSON or not
 * of its schema is set aside (setAsideDamaged) and reads as missing, instead of stopping every
 * command with CORRUPT. Read errors other than damage (permissions, I/O) still throw.
 */
export async function readJsonFileOrSetAside<T>(
  filePath: string,
  schema: z.ZodType<T>,
): Promise<T | undefined> {
  try {
    return await readJsonFile(filePath, schema);
  } catch (error) {
    if (!(error instanceof DriftlessError) || error.code !== 'CORRUPT') throw error;
    await setAsideDamaged(filePath, error.message);
    return undefined;
  }
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

/** `<name>.<pid>.<ms>[.<n>].tmp`: a temp file of writeFileAtomic and the process that wrote it. */
const TEMP_FILE = /\.(\d+)\.\d+(?:\.\d+)?\.tmp$/;

/**
 * Removes temp files that writeFileAtomic left in `dir` when its process was killed mid-write.
 * Files of processes still running (another instance writing right now) are left alone.
 */
export async function removeAbandonedTempFiles(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch {
    return; // no folder, nothing left behind
  }
  for (const entry of entries) {
    const pid = Number(TEMP_FILE.exec(entry)?.[1] ?? NaN);
    if (Number.isInteger(pid) && !processIsAlive(pid)) await fs.rm(path.join(dir, entry), { force: true });
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
