import { promises as fs, type Stats } from 'node:fs';
import { sha256 } from '../base/index.ts';
import { openRegularFile } from '../base/files.ts';
import type { SkippedFile } from './types.ts';

export interface ReadNoteOptions {
  /** Files larger than this are skipped as 'too-large' without being read. */
  maxBytes: number;
}

export type ReadNoteResult =
  | { ok: true; content: string; hash: string; size: number; mtimeMs: number }
  | { ok: false; skipped: Omit<SkippedFile, 'path'> };

type Skip = Extract<ReadNoteResult, { ok: false }>;

const SNIFF_BYTES = 8192;
const MAX_CONTROL_RATIO = 0.1;

/**
 * Reads a note file read-only and checks it is indexable text: within the size limit, not binary,
 * strict UTF-8 (a BOM is dropped), not blank, and unchanged while it was read. Failures come back as
 * a skip reason, never as a thrown error. `hash` is the sha256 of the file's bytes.
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
  try {
    return await readChecked(absPath, options, afterRead);
  } catch (error) {
    return skipForError(error);
  }
}

async function readChecked(
  absPath: string,
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
  return decodeNote(bytes, after.mtimeMs);
}

/** Byte checks in order of cost: binary, then strict UTF-8, then blank. */
export function decodeNote(bytes: Uint8Array, mtimeMs: number): ReadNoteResult {
  if (hasUtf16Bom(bytes)) return skip('invalid-utf8', 'The file is UTF-16 text; only UTF-8 is read.');
  if (looksBinary(bytes))
    return skip('binary', 'The file looks binary (NUL bytes or many control characters).');
  let content: string;
  try {
    content = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return skip('invalid-utf8', 'The file is not valid UTF-8 text.');
  }
  if (!content.trim()) return skip('empty', 'The file is empty or only whitespace.');
  return { ok: true, content, hash: sha256(bytes), size: bytes.length, mtimeMs };
}

/** NUL anywhere, or more than a tenth of the first 8 KiB being control characters other than whitespace. */
export function looksBinary(bytes: Uint8Array): boolean {
  if (bytes.indexOf(0) !== -1) return true;
  const sample = bytes.subarray(0, SNIFF_BYTES);
  let control = 0;
  for (const byte of sample) {
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) || byte === 0x7f)
      control++;
  }
  return sample.length > 0 && control / sample.length > MAX_CONTROL_RATIO;
}

function hasUtf16Bom(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
  );
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
