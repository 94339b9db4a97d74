import type { NoteKey } from './types.ts';

/**
 * One string per note, stored as a column so a note is addressed by a single equality. The unit
 * separator cannot occur in a folder id, so distinct (folderId, notePath) pairs never collide.
 */
export function noteKey(key: NoteKey): string {
  return `${key.folderId}\u001f${key.notePath}`;
}

/**
 * The row id the store gives a chunk at `ordinal` of a note (used when a rename rewrites rows).
 * Writers may use it for fresh rows too, so ids stay consistent after a rename.
 */
export function chunkRowId(key: NoteKey, ordinal: number): string {
  return `${noteKey(key)}\u001f${ordinal}`;
}
