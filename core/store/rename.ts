import { chunkRowId, noteKey } from './noteKey.ts';
import { CHUNK_COLUMNS, rowToChunk, rowVector } from './schema.ts';
import { sqlString } from './sql.ts';
import type { ChunkRecord, NoteKey, NoteState, NoteWrite } from './types.ts';
import type { IndexTables } from './writeProtocol.ts';

/** The committed chunks of one note with their vectors, in text order. */
export async function readChunksOfNote(tables: IndexTables, key: NoteKey): Promise<ChunkRecord[]> {
  await tables.committed.refresh();
  const revision = tables.committed.revisionOf(noteKey(key));
  if (revision === undefined) return [];
  const where = `note_key = ${sqlString(noteKey(key))} AND revision = ${sqlString(revision)}`;
  const rows = await tables.chunks
    .query()
    .where(where)
    .select([...CHUNK_COLUMNS, 'vector'])
    .toArray();
  return rows
    .map((row) => ({ ...rowToChunk(row), vector: rowVector(row) }))
    .sort((a, b) => a.start - b.start);
}

/** The same note and chunks under a new key; vectors and encoder versions are kept. */
export function renamedNote(note: NoteState, chunks: readonly ChunkRecord[], to: NoteKey): NoteWrite {
  return {
    ...note,
    ...to,
    chunks: chunks.map((chunk, ordinal) => ({ ...chunk, ...to, id: chunkRowId(to, ordinal) })),
  };
}
