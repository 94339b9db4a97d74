import { promises as fs, type Stats } from 'node:fs';
import { sha256 } from '../base/index.ts';
import { openRegularFile } from '../base/files.ts';
import { noteFormats, type NoteFormatDefinition, type NoteFormats } from './formats/index.ts';
import type { SkippedFile } from './types.ts';

export interface ReadNoteOptions {
  /** Files larger than this are skipped as 'too-large' without being read. */
  maxBytes: number;
  /** The formats that decode a file by its extension (default: every built-in format). */
  formats?: NoteFormats;
  /** The path whose extension picks the format, where `absPath` is what a link resolved to (default: absPath). */
  formatPath?: string;
}

export type ReadNoteResult =
  | { ok: true; content: string; hash: string; size: number; mtimeMs: number }
  | { ok: false; skipped: Omit<SkippedFile, 'path'> };

type Skip = Extract<ReadNoteResult, { ok: false }>;

/**
 * Reads a note file read-only and checks it is indexable: a note format by its extension, within the
 * size limit, decoded by its format (the text formats: not binary, strict UTF-8 with a BOM dropped),
 * not blank, and unchanged while it was read. Failures come back as a skip reason, never as a thrown
 * error. `content` is the decoded source text; `hash` is the sha256 of the file's bytes.
 */
export async function readNoteFile(absPath: string, options: ReadNoteOptions): Promise<ReadNoteResult> {
  return readNoteFileWithPause(absPath, options, async () => {});
}

/** readNoteFile with a pause between reading and the second stat, where tests change the file. */
export async function readNoteFileWithPause(
  absPath: string,
  options: ReadNoteOptions,
  afterRead: () => Promise<void>,
): Promise<ReadNoteResult> {
  const format = (options.formats ?? noteFormats).forPath(options.formatPath ?? absPath);
  if (!format) return skip('unsupported', 'Not a note format Driftless reads.');
  try {
    return await readChecked(absPath, format, options, afterRead);
  } catch (error) {
    return skipForError(error);
  }
}

async function readChecked(
  absPath: string,
  format: NoteFormatDefinition,
  options: ReadNoteOptions,
  afterRead: () => Promise<void>,
): Promise<ReadNoteResult> {
  // A FIFO, socket or device is never opened (a FIFO would wait for a writer forever).
  const handle = await openRegularFile(absPath);
  let before: Stats;
  let bytes: Buffer;
  try {
    before = await handle.stat();
    if (before.size > options.maxBytes) return tooLarge(before.size, options.maxBytes);
    bytes = await handle.readFile();
  } finally {
    await handle.close();
  }
  await afterRead();
  // Compare by path afterwards: an editor that saves by rename leaves the open handle on the old file.
  const after = await fs.stat(absPath);
  const replaced = after.ino !== before.ino || after.mtimeMs !== before.mtimeMs || after.size !== before.size;
  if (replaced || bytes.length !== before.size) {
    return skip(
      'changed-during-read',
      'The file changed while it was being read; it will be read again later.',
    );
  }
  return decodeNote(format, bytes, after.mtimeMs);
}

/** The format decides whether the bytes are a note (binary, not UTF-8, ...); a blank note never is. */
async function decodeNote(
  format: NoteFormatDefinition,
  bytes: Uint8Array,
  mtimeMs: number,
): Promise<ReadNoteResult> {
  const decoded = await format.decode(bytes);
  if (!decoded.ok) return decoded;
  if (!decoded.text.trim()) return skip('empty', 'The file is empty or only whitespace.');
  return { ok: true, content: decoded.text, hash: sha256(bytes), size: bytes.length, mtimeMs };
}

function tooLarge(size: number, maxBytes: number): Skip {
  return skip('too-large', `The file is ${size} bytes; the limit is ${maxBytes}.`);
}

function skip(reason: Skip['skipped']['reason'], message: string): Skip {
  return { ok: false, skipped: { reason, message } };
}

function skipForError(error: unknown): Skip {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return skip('vanished', 'The file was removed before it could be read.');
    case 'EACCES':
    case 'EPERM':
      return skip('unreadable', 'Permission denied.');
    case 'ELOOP':
      return skip('symlink-loop', 'The path is a symbolic link loop.');
    case 'ENOTREG':
      return skip('unreadable', 'Not a regular file (a pipe, socket or device); it is never opened.');
    default:
      return skip(
        'unreadable',
        `The file could not be read (${code ?? (error instanceof Error ? error.message : String(error))}).`,
      );
  }
}
