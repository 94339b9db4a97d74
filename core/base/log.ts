import fs from 'node:fs';
import path from 'node:path';

/**
 * The process's log. A failure the app carries on after (a background check that threw, a save at
 * close that failed, a watcher's sync) is written here with what was being done and why, instead of
 * being dropped. Each line goes to stderr and, once `openLog` has named a data folder, to its
 * driftless.log, where the user and `driftless status` readers can find it later.
 *
 * Lines are appended synchronously: they are rare, and one written just before a crash must not be
 * lost in a buffer. Logging never throws; a log file that cannot be written leaves stderr.
 */

export const LOG_FILE_NAME = 'driftless.log';
/** A log past this size moves to driftless.log.1 (one older file kept) when a data folder opens it. */
const ROTATE_BYTES = 1_000_000;

let logFile: string | undefined;

/** Sends later lines to `<dataDir>/driftless.log` as well as stderr (openApp calls this). */
export function openLog(dataDir: string): void {
  logFile = path.join(dataDir, LOG_FILE_NAME);
  rotate(logFile);
}

/** Logs that `doing` failed and why. */
export function logFailure(doing: string, error: unknown): void {
  writeLine(`${doing} failed: ${reasonOf(error)}`);
}

/**
 * A `.catch` handler for work whose failure must not stop the caller: it logs that `doing` failed
 * and resolves to undefined.
 * @example await counts.save().catch(logAndContinue('saving retrieval counts'));
 */
export function logAndContinue(doing: string): (error: unknown) => undefined {
  return (error) => {
    logFailure(doing, error);
    return undefined;
  };
}

/** Appends one line to `file` (a log beside the files it is about), falling back to stderr. */
export function appendLogLine(file: string, message: string): void {
  const line = `${new Date().toISOString()} ${message}\n`;
  try {
    fs.appendFileSync(file, line);
  } catch (error) {
    process.stderr.write(`driftless: ${message} (not written to ${file}: ${reasonOf(error)})\n`);
  }
}

function writeLine(message: string): void {
  process.stderr.write(`driftless: ${message}\n`);
  if (!logFile) return;
  try {
    fs.appendFileSync(logFile, `${new Date().toISOString()} ${message}\n`);
  } catch {
    // Already on stderr; a data folder removed or read-only has nowhere else to keep it.
  }
}

function rotate(file: string): void {
  try {
    if (fs.statSync(file).size > ROTATE_BYTES) fs.renameSync(file, `${file}.1`);
  } catch {
    // No log yet (the usual case), or one that cannot be moved: lines are appended to it as it is.
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
