import { randomUUID } from 'node:crypto';
import type { Table } from '@lancedb/lancedb';
import { DriftlessError } from '../base/index.ts';
import type { CommittedNotes } from './committedNotes.ts';
import { noteKey } from './noteKey.ts';
import { chunkToRow, noteToRow } from './schema.ts';
import { sqlIn, sqlString } from './sql.ts';
import type { NoteKey, NoteWrite } from './types.ts';

export interface IndexTables {
  chunks: Table;
  notes: Table;
  committed: CommittedNotes;
  dimensions: number;
  /** Whether the vector column has an ANN index (then searches re-rank with exact distances). */
  annIndexed: boolean;
}

/** The last step a write performs; anything short of 3 simulates a crash (tests only). */
export type WriteStep = 1 | 2 | 3;

/** Keys per `IN (...)` list, so predicates stay a reasonable size. */
const KEYS_PER_PREDICATE = 500;

export function inBatches<T>(items: readonly T[], size = KEYS_PER_PREDICATE): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

function validate(notes: readonly NoteWrite[], dimensions: number): void {
  const keys = new Set<string>();
  for (const note of notes) {
    const key = noteKey(note);
    if (keys.has(key))
      throw new DriftlessError('INVALID_ARGUMENT', 'A note appears twice in one write.', { ...note });
    keys.add(key);
    for (const chunk of note.chunks) {
      if (noteKey(chunk) !== key || chunk.noteHash !== note.noteHash) {
        throw new DriftlessError('INVALID_ARGUMENT', 'A chunk does not belong to its note.', {
          id: chunk.id,
        });
      }
      if (chunk.vector.length !== dimensions) {
        throw new DriftlessError('INVALID_ARGUMENT', 'A chunk vector has the wrong length.', {
          id: chunk.id,
          length: chunk.vector.length,
          dimensions,
        });
      }
      if (!isUnitLength(chunk.vector)) {
        throw new DriftlessError('INVALID_ARGUMENT', 'A chunk vector is not unit length.', {
          id: chunk.id,
        });
      }
    }
  }
}

/** Dense search ranks by dot product on unit vectors (see readers.ts), so only those are stored. */
function isUnitLength(vector: ArrayLike<number>): boolean {
  let squares = 0;
  for (let i = 0; i < vector.length; i++) squares += vector[i]! ** 2;
  // An all-zero vector (nothing to embed) scores 0 under both measures, so it may stay.
  return squares === 0 || Math.abs(squares - 1) < UNIT_TOLERANCE;
}

const UNIT_TOLERANCE = 1e-3;

/**
 * Writes a batch of notes so that readers see each note either as before or as after:
 * (1) add the new chunk rows under a fresh revision, (2) upsert the `notes` rows naming that
 * revision, which is the commit point, (3) delete the rows of older revisions. A crash before (2)
 * leaves only invisible rows; a crash before (3) leaves invisible stale rows; `repair` removes both.
 */
export async function writeNotes(
  tables: IndexTables,
  notes: readonly NoteWrite[],
  lastStep: WriteStep = 3,
): Promise<void> {
  if (notes.length === 0) return;
  validate(notes, tables.dimensions);
  const revision = randomUUID();
  const chunkRows = notes.flatMap((note) => note.chunks.map((chunk) => chunkToRow(chunk, revision)));
  if (chunkRows.length > 0) await tables.chunks.add(chunkRows);
  if (lastStep < 2) return;
  await tables.committed.applyOwnWrite(
    async () =>
      void (await tables.notes
        .mergeInsert('note_key')
        .whenMatchedUpdateAll()
        .whenNotMatchedInsertAll()
        .execute(notes.map((note) => noteToRow(note, revision)))),
    { set: notes.map((note) => [noteKey(note), revision] as const) },
  );
  if (lastStep < 3) return;
  for (const batch of inBatches(notes.map(noteKey))) {
    await tables.chunks.delete(`${sqlIn('note_key', batch)} AND revision != ${sqlString(revision)}`);
  }
}

/** Uncommits the notes first (they vanish for readers at once), then deletes their rows. */
export async function removeNotes(tables: IndexTables, keys: readonly NoteKey[]): Promise<void> {
  if (keys.length === 0) return;
  const batches = inBatches([...new Set(keys.map(noteKey))]);
  await tables.committed.applyOwnWrite(
    async () => {
      for (const batch of batches) await tables.notes.delete(sqlIn('note_key', batch));
    },
    { remove: batches.flat() },
    batches.length,
  );
  for (const batch of batches) await tables.chunks.delete(sqlIn('note_key', batch));
}

/**
 * True when the chunk table holds exactly the rows the committed notes count. Writes add a note's
 * new rows before committing it and delete its old ones after, and removals uncommit first, so a
 * leftover always means more rows than that; equal counts spare the full scan (every app start
 * repairs, and on a large index the scan held the writer lock for many seconds).
 */
async function rowsMatchCommittedNotes(tables: IndexTables): Promise<boolean> {
  const notes = await tables.notes.query().select(['chunk_count']).toArray();
  const committed = notes.reduce(
    (sum: number, row: { chunk_count: unknown }) => sum + Number(row.chunk_count),
    0,
  );
  return (await tables.chunks.countRows()) === committed;
}

/** Deletes chunk rows whose revision is not the committed one: leftovers of interrupted writes. */
export async function repair(tables: IndexTables): Promise<number> {
  await tables.committed.refresh(true);
  if (await rowsMatchCommittedNotes(tables)) return 0;
  const rows = await tables.chunks.query().select(['note_key', 'revision']).toArray();
  const orphanKeysByRevision = new Map<string, Set<string>>();
  for (const row of rows) {
    if (tables.committed.isCommitted(row)) continue;
    const keys = orphanKeysByRevision.get(String(row.revision)) ?? new Set<string>();
    keys.add(String(row.note_key));
    orphanKeysByRevision.set(String(row.revision), keys);
  }
  let deleted = 0;
  for (const [revision, keys] of orphanKeysByRevision) {
    for (const batch of inBatches([...keys])) {
      const predicate = `revision = ${sqlString(revision)} AND ${sqlIn('note_key', batch)}`;
      deleted += await tables.chunks.countRows(predicate);
      await tables.chunks.delete(predicate);
    }
  }
  return deleted;
}
