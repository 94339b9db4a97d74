import { throwIfAborted } from '../base/index.ts';
import type { Encoder } from '../encoder/index.ts';
import { chunkEmbeddingText } from '../ingest/index.ts';
import type { JobContext } from '../jobs/index.ts';
import type { ChunkRecord, NoteIndex, NoteWrite, StoredChunk } from '../store/index.ts';

const NOTES_PER_BATCH = 16;

export interface ReindexOptions {
  /** Which stale versions to re-embed (default: every version but the encoder's). */
  versions?: (version: string) => boolean;
  /** Orders notes before work starts, e.g. most retrieved first (default: index order). */
  priority?: (noteKey: string) => number;
  /** At most this many chunks re-embedded per minute (backfill); unlimited when absent. */
  chunksPerMinute?: number;
  notesPerBatch?: number;
  /** Rows to embed again whatever their version, e.g. text the tokenizer now reads differently. */
  reembed?: (chunk: StoredChunk) => boolean;
  /** Only these notes (`noteKey`), read directly instead of scanning the index. */
  notes?: readonly string[];
  /** The encoder's vector of a chunk when already computed: written, not embedded again. */
  known?: (chunk: StoredChunk) => Float32Array | undefined;
}

export interface ReindexResult {
  notes: number;
  chunks: number;
}

interface StaleNote {
  key: string;
  chunks: StoredChunk[];
  stale: number;
}

/**
 * Re-embeds rows of older versions with `encoder` (the current version), note by note: each note
 * is rewritten whole in one atomic write, keeping the vectors its rows of the current version
 * already have. Reports progress in chunks, honours pause and cancel between batches, and can be
 * rate-limited (the background backfill). A version whose rows are all gone stops being searched,
 * so its compensator is no longer used.
 */
export async function reindexRows(
  index: NoteIndex,
  encoder: Encoder,
  options: ReindexOptions,
  context: JobContext,
): Promise<ReindexResult> {
  const notes = await staleNotes(index, encoder.version, options);
  const total = notes.reduce((sum, note) => sum + note.stale, 0);
  const done: ReindexResult = { notes: 0, chunks: 0 };
  context.report({ phase: 'reindex', done: 0, total });
  const size = options.notesPerBatch ?? NOTES_PER_BATCH;
  for (let at = 0; at < notes.length; at += size) {
    await context.checkpoint();
    const started = Date.now();
    const batch = notes.slice(at, at + size);
    const writes = await rewrites(index, encoder, batch, options, context.signal);
    await index.writeNotes(writes, context.signal);
    done.notes += writes.length;
    done.chunks += batch.reduce((sum, note) => sum + note.stale, 0);
    context.report({ phase: 'reindex', done: done.chunks, total });
    if (options.chunksPerMinute) await pace(batch, options.chunksPerMinute, started, context.signal);
  }
  return done;
}

/**
 * The notes with rows to embed again, each with all its chunks in order. The index is read a batch
 * of rows at a time (a turn for search in between), and each row is judged as it comes.
 */
async function staleNotes(index: NoteIndex, current: string, options: ReindexOptions): Promise<StaleNote[]> {
  const wanted = options.versions ?? ((version: string) => version !== current);
  const reembed = options.reembed ?? (() => false);
  const isStale = (c: StoredChunk) =>
    (c.encoderVersion !== current && wanted(c.encoderVersion)) || reembed(c);
  const byNote = new Map<string, StaleNote>();
  for await (const batch of options.notes ? notesOnly(index, options.notes) : index.chunkBatches()) {
    for (const chunk of batch) {
      const key = `${chunk.folderId}/${chunk.notePath}`;
      const note = byNote.get(key) ?? { key, chunks: [], stale: 0 };
      note.chunks.push(chunk);
      if (isStale(chunk)) note.stale++;
      byNote.set(key, note);
    }
  }
  const notes = [...byNote.values()].filter((note) => note.stale > 0);
  for (const note of notes) note.chunks.sort((a, b) => a.start - b.start);
  const priority = options.priority;
  return priority ? notes.sort((a, b) => priority(b.key) - priority(a.key)) : notes;
}

async function* notesOnly(index: NoteIndex, keys: readonly string[]): AsyncGenerator<StoredChunk[]> {
  for (let at = 0; at < keys.length; at += NOTES_PER_BATCH)
    yield [...(await index.chunksOfNotes(keys.slice(at, at + NOTES_PER_BATCH))).values()].flat();
}

async function rewrites(
  index: NoteIndex,
  encoder: Encoder,
  notes: readonly StaleNote[],
  { reembed, known }: Pick<ReindexOptions, 'reembed' | 'known'>,
  signal: AbortSignal,
): Promise<NoteWrite[]> {
  const writes: NoteWrite[] = [];
  for (const note of notes) {
    const first = note.chunks[0]!;
    const state = await index.getNote({ folderId: first.folderId, notePath: first.notePath });
    if (!state || state.noteHash !== first.noteHash) continue; // changed since: its sync embeds it
    const kept = await index.vectorsForChunks(
      note.chunks.map((chunk) => chunk.chunkId),
      encoder.version,
    );
    for (const chunk of note.chunks) {
      const vector = known?.(chunk);
      if (vector) kept.set(chunk.chunkId, vector);
    }
    const todo = note.chunks.filter((chunk) => !kept.has(chunk.chunkId) || reembed?.(chunk));
    const vectors =
      todo.length === 0
        ? []
        : await encoder.embedDocuments(
            todo.map((chunk) => chunkEmbeddingText(state.title, { ...chunk, ordinal: 0 })),
            signal,
          );
    todo.forEach((chunk, i) => kept.set(chunk.chunkId, vectors[i]!));
    const chunks = note.chunks.map(
      (chunk): ChunkRecord => ({
        ...chunk,
        encoderVersion: encoder.version,
        vector: kept.get(chunk.chunkId)!,
      }),
    );
    writes.push({ ...state, chunks });
  }
  return writes;
}

/** Sleeps long enough that this batch stays within the per-minute budget. */
async function pace(
  batch: readonly StaleNote[],
  chunksPerMinute: number,
  startedMs: number,
  signal: AbortSignal,
): Promise<void> {
  const chunks = batch.reduce((sum, note) => sum + note.stale, 0);
  const wait = (chunks / chunksPerMinute) * 60_000 - (Date.now() - startedMs);
  if (wait <= 0) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, wait);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
  throwIfAborted(signal);
}
