import type { Schema } from 'apache-arrow';
import { arrow } from './arrow.ts';
import { noteKey } from './noteKey.ts';
import type { ChunkRecord, NoteFormat, NoteState, NoteWrite, StoredChunk } from './types.ts';

const { Field, FixedSizeList, Float32, Float64, Int32, List, Utf8, Schema: ArrowSchema } = arrow;

export const CHUNKS_TABLE = 'chunks';
export const NOTES_TABLE = 'notes';

const utf8 = (name: string) => new Field(name, new Utf8(), false);
const utf8List = (name: string) => new Field(name, new List(new Field('item', new Utf8(), true)), false);

/**
 * `revision` is unique per write batch: a note's rows are visible only while the `notes` table names
 * their revision (see CommittedNotes), so rewriting a note, even with unchanged content, is atomic.
 * Column names are snake_case because LanceDB's SQL filters fold unquoted identifiers. `fts_text`
 * (title, headings and text together) carries the full-text index, so one BM25 query covers all three.
 */
export function chunkSchema(dimensions: number): Schema {
  return new ArrowSchema([
    utf8('id'),
    utf8('chunk_id'),
    utf8('folder_id'),
    utf8('note_path'),
    utf8('note_key'),
    utf8('note_hash'),
    utf8('revision'),
    utf8('title'),
    utf8List('heading_path'),
    utf8('text'),
    utf8('fts_text'),
    utf8List('tags'),
    new Field('start', new Int32(), false),
    new Field('end', new Int32(), false),
    new Field('modified_ms', new Float64(), false),
    utf8('encoder_version'),
    new Field('vector', new FixedSizeList(dimensions, new Field('item', new Float32(), true)), false),
  ]);
}

export function noteSchema(): Schema {
  return new ArrowSchema([
    utf8('note_key'),
    utf8('folder_id'),
    utf8('note_path'),
    utf8('note_hash'),
    utf8('revision'),
    utf8('title'),
    new Field('modified_ms', new Float64(), false),
    new Field('chunk_count', new Int32(), false),
    utf8('format'),
  ]);
}

/** Every chunk column except the vector: what readers fetch. */
export const CHUNK_COLUMNS = [
  'id',
  'chunk_id',
  'folder_id',
  'note_path',
  'note_key',
  'note_hash',
  'revision',
  'title',
  'heading_path',
  'text',
  'tags',
  'start',
  'end',
  'modified_ms',
  'encoder_version',
];

export function chunkToRow(chunk: ChunkRecord, revision: string): Record<string, unknown> {
  return {
    id: chunk.id,
    chunk_id: chunk.chunkId,
    folder_id: chunk.folderId,
    note_path: chunk.notePath,
    note_key: noteKey(chunk),
    note_hash: chunk.noteHash,
    revision,
    title: chunk.title,
    heading_path: chunk.headingPath,
    text: chunk.text,
    fts_text: [chunk.title, ...chunk.headingPath, chunk.text].join('\n'),
    tags: chunk.tags,
    start: chunk.start,
    end: chunk.end,
    modified_ms: chunk.modifiedMs,
    encoder_version: chunk.encoderVersion,
    vector: chunk.vector,
  };
}

/** Arrow list cells arrive as Vectors; plain arrays when a row was built in JS. */
function stringList(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  return Array.from(value as Iterable<string>);
}

export function rowToChunk(row: Record<string, unknown>): StoredChunk {
  return {
    id: String(row.id),
    chunkId: String(row.chunk_id),
    folderId: String(row.folder_id),
    notePath: String(row.note_path),
    noteHash: String(row.note_hash),
    title: String(row.title),
    headingPath: stringList(row.heading_path),
    text: String(row.text),
    tags: stringList(row.tags),
    start: Number(row.start),
    end: Number(row.end),
    modifiedMs: Number(row.modified_ms),
    encoderVersion: String(row.encoder_version),
  };
}

export function rowVector(row: Record<string, unknown>): Float32Array {
  const vector = row.vector as Iterable<number> | { toArray(): Float32Array };
  // An Arrow vector hands its values over in one copy; iterating it number by number is ~50x slower.
  return 'toArray' in vector ? new Float32Array(vector.toArray()) : Float32Array.from(vector);
}

export function noteToRow(note: NoteWrite, revision: string): Record<string, unknown> {
  return {
    note_key: noteKey(note),
    folder_id: note.folderId,
    note_path: note.notePath,
    note_hash: note.noteHash,
    revision,
    title: note.title,
    modified_ms: note.modifiedMs,
    chunk_count: note.chunks.length,
    format: note.format,
  };
}

export function rowToNote(row: Record<string, unknown>): NoteState {
  return {
    folderId: String(row.folder_id),
    notePath: String(row.note_path),
    noteHash: String(row.note_hash),
    title: String(row.title),
    modifiedMs: Number(row.modified_ms),
    chunkCount: Number(row.chunk_count),
    format: String(row.format) as NoteFormat,
  };
}
