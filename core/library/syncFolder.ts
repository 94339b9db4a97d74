import path from 'node:path';
import { sha256, throttleProgress, type ThrottledProgress } from '../base/index.ts';
import type { Encoder } from '../encoder/index.ts';
import {
  chunkEmbeddingText,
  chunkNote,
  noteDateMs,
  noteFormat,
  readNoteFile,
  scanFolder,
} from '../ingest/index.ts';
import type { SkippedFile } from '../ingest/index.ts';
import type { ChunkRecord, FolderRecord, NoteIndex, NoteState, NoteWrite } from '../store/index.ts';
import type { JobContext } from '../jobs/index.ts';
import { importNoteParser, type NoteParser } from './importParsing.ts';
import type { ImportReport } from './importReports.ts';

export interface SyncOptions {
  ignore: string[];
  maxFileBytes: number;
  /** Characters of a note that are chunked and embedded; a longer note is indexed up to here. */
  maxIndexedChars: number;
  /** Notes read, embedded and committed together; a crash loses at most one uncommitted batch. */
  batchSize?: number;
  /** Read every file, not only those whose modification time changed (after the limits changed). */
  rereadAll?: boolean;
  /** The previous report's truncated notes: still true of those this sync does not read again. */
  truncatedBefore?: ImportReport['truncated'];
  /** The clock that spaces progress reports, in milliseconds (default performance.now); for tests. */
  progressClock?: () => number;
}

/** What a sync reads with and writes to. */
export interface SyncDeps {
  index: NoteIndex;
  encoder: () => Promise<Encoder>;
  /** How notes are parsed (default importNoteParser(): big notes on the note-parsing thread). */
  parse?: NoteParser;
}

/** How a batch moves the import's count of notes read. */
interface NotesProgress {
  /** `count` more notes need no more work before their batch is written. */
  add(count: number, detail?: string): void;
  /** Sends on a count held back, before work that takes a while (an encoder call, a write). */
  flush(): void;
}

/** A note read and chunked, waiting for its vectors before its batch is written. */
interface PendingNote {
  write: NoteWrite;
  /** What the encoder reads for each chunk, in the order of `write.chunks`. */
  texts: string[];
}

interface ScannedFile {
  relPath: string;
  absPath: string;
  size: number;
  mtimeMs: number;
}

/** Skips that say nothing about the note's content: keep what is indexed and try again next time. */
const TRANSIENT_SKIPS = new Set(['changed-during-read', 'unreadable']);

/**
 * Chunks per encoder call: one of the encoders' batches (32 rows), so the count of notes moves
 * after each batch of inference instead of once per batch of notes. A batch's chunks are embedded
 * shortest first, as an encoder orders one call's chunks itself, so these calls cost what one call
 * for them all does; calls in note order padded short chunks to long ones (about 20% slower).
 */
const EMBED_CALL_CHUNKS = 32;

/**
 * Brings the index in line with one folder: reads only files whose modification time changed,
 * re-embeds only chunks whose content is new, moves renamed notes without re-embedding, and drops
 * notes whose files are gone. Every batch is committed atomically, so a cancelled or killed sync
 * leaves a consistent index and simply continues on the next run.
 */
export async function syncFolder(
  folder: FolderRecord,
  deps: SyncDeps,
  options: SyncOptions,
  context: JobContext,
): Promise<ImportReport> {
  const report: ImportReport = {
    folderId: folder.id,
    added: 0,
    updated: 0,
    removed: 0,
    unchanged: 0,
    renamed: 0,
    skipped: [],
    truncated: [],
  };
  // A damaged table must fail the sync (INDEX_DAMAGED), not let it compare files against what
  // little still reads and report "0 changes".
  await deps.index.verify();
  // Reported per file found and per note read; sent on at most every 250 ms (and at each phase's
  // start and end), so a folder of 10,000 unchanged files does not send 10,000 events.
  const progress = throttleProgress((value) => context.report(value), { now: options.progressClock });
  const { files, skipped } = await scan(folder, options, context.signal, progress);
  const known = new Map((await deps.index.listNotes(folder.id)).map((note) => [note.notePath, note]));
  const present = new Set([
    ...files.map((file) => file.relPath),
    ...skipped.filter((skip) => TRANSIENT_SKIPS.has(skip.reason)).map((skip) => skip.path),
  ]);
  const missing = [...known.values()].filter((note) => !present.has(note.notePath));
  const changed = options.rereadAll
    ? files
    : files.filter((file) => known.get(file.relPath)?.modifiedMs !== Math.trunc(file.mtimeMs));
  report.unchanged = files.length - changed.length;
  report.skipped.push(...skipped);
  const reread = new Set(changed.map((file) => file.relPath));
  report.truncated.push(
    ...(options.truncatedBefore ?? []).filter((entry) => present.has(entry.path) && !reread.has(entry.path)),
  );

  const movedAway = new Map(missing.map((note) => [note.notePath, note]));
  const batchSize = options.batchSize ?? 64;
  // The total is known now: say so before the first batch, which may wait for the encoder to load
  // (a window showed "scan 272/?" for the 28 s that took).
  if (changed.length > 0) progress.report({ phase: 'index', done: 0, total: changed.length });
  let done = 0;
  const notesProgress: NotesProgress = {
    add: (count, detail) => {
      done += count;
      progress.report({ phase: 'index', done, total: changed.length, ...(detail ? { detail } : {}) });
    },
    flush: () => progress.flush(),
  };
  for (let start = 0; start < changed.length; start += batchSize) {
    await context.checkpoint();
    const batch = changed.slice(start, start + batchSize);
    await indexBatch(folder, batch, known, movedAway, deps, options, report, context.signal, notesProgress);
  }
  const gone = [...movedAway.values()].map((note) => ({ folderId: folder.id, notePath: note.notePath }));
  if (gone.length > 0) await deps.index.removeNotes(gone);
  report.removed = gone.length;
  report.finishedMs = Date.now();
  return report;
}

/** Lists the folder's files; the count found so far is reported as it grows (no total yet). */
async function scan(
  folder: FolderRecord,
  options: SyncOptions,
  signal: AbortSignal,
  progress: ThrottledProgress,
) {
  const files: ScannedFile[] = [];
  const skipped: SkippedFile[] = [];
  progress.report({ phase: 'scan', done: 0 });
  for await (const entry of scanFolder(folder.root, { ignore: options.ignore }, signal)) {
    if (entry.kind === 'file') files.push(entry);
    else skipped.push({ path: entry.path, reason: entry.reason, message: entry.message });
    progress.report({ phase: 'scan', done: files.length + skipped.length });
  }
  progress.flush();
  return { files, skipped };
}

async function indexBatch(
  folder: FolderRecord,
  batch: ScannedFile[],
  known: Map<string, NoteState>,
  /** Indexed notes whose files are gone, by path: renamed if their content turns up elsewhere, else removed. */
  movedAway: Map<string, NoteState>,
  deps: SyncDeps,
  options: SyncOptions,
  report: ImportReport,
  signal: AbortSignal,
  progress: NotesProgress,
): Promise<void> {
  const encoder = await deps.encoder();
  const pending: PendingNote[] = [];
  for (const file of batch) {
    const note = await prepareNote(file);
    if (note) pending.push(note);
    else progress.add(1, file.relPath);
  }
  await embedMissing(pending, encoder, deps.index, signal, progress);
  if (pending.length === 0) return;
  progress.flush();
  await deps.index.writeNotes(pending.map((note) => note.write));

  /** The note to embed and write, or undefined where the file is skipped, unchanged or renamed. */
  async function prepareNote(file: ScannedFile): Promise<PendingNote | undefined> {
    const read = await readNoteFile(file.absPath, { maxBytes: options.maxFileBytes });
    if (!read.ok) {
      report.skipped.push({ path: file.relPath, ...read.skipped });
      const indexed = known.get(file.relPath);
      if (indexed && !TRANSIENT_SKIPS.has(read.skipped.reason)) movedAway.set(file.relPath, indexed);
      return undefined;
    }
    const content = indexedPart(read.content, options.maxIndexedChars);
    // A truncated note's identity includes how much of it is indexed, so a new limit re-indexes it.
    const noteHash =
      content.length < read.content.length ? sha256(`${read.hash}\0${content.length}`) : read.hash;
    if (content.length < read.content.length)
      report.truncated.push({
        path: file.relPath,
        indexedChars: content.length,
        totalChars: read.content.length,
      });
    const previous = known.get(file.relPath);
    if (previous?.noteHash === noteHash) {
      report.unchanged++;
      return undefined;
    }
    const renamedFrom = previous
      ? undefined
      : [...movedAway.values()].find((note) => note.noteHash === noteHash);
    if (renamedFrom) {
      movedAway.delete(renamedFrom.notePath);
      await deps.index.renameNote(
        { folderId: folder.id, notePath: renamedFrom.notePath },
        { folderId: folder.id, notePath: file.relPath },
      );
      report.renamed++;
      return undefined;
    }
    const parse = deps.parse ?? defaultParser;
    const built = await tryBuildNote(folder, file, content, noteHash, { encoder, parse }, signal);
    if ('skipped' in built) {
      report.skipped.push(built.skipped);
      return undefined;
    }
    if (previous) report.updated++;
    else report.added++;
    return built;
  }
}

/**
 * The beginning of a note that is chunked and embedded. Chunking and embedding cost grows with the
 * text, so one huge note (a 50 MB log line) must not hold an import for an hour; its head stays
 * searchable, and the report says what was left out.
 */
function indexedPart(content: string, maxChars: number): string {
  if (content.length <= maxChars) return content;
  // Never end on the first half of a surrogate pair.
  const end = /[\uD800-\uDBFF]/.test(content[maxChars - 1]!) ? maxChars - 1 : maxChars;
  return content.slice(0, end);
}

const defaultParser = importNoteParser();

/**
 * One note that cannot be parsed is skipped and reported; it must not fail the whole import (nor
 * one that the note-parsing thread died on twice).
 */
async function tryBuildNote(
  ...args: Parameters<typeof buildNote>
): Promise<Awaited<ReturnType<typeof buildNote>> | { skipped: SkippedFile }> {
  try {
    return await buildNote(...args);
  } catch (error) {
    if (args[5].aborted) throw error;
    const message = `The note could not be parsed: ${error instanceof Error ? error.message : String(error)}`;
    return { skipped: { path: args[1].relPath, reason: 'parse-error', message } };
  }
}

async function buildNote(
  folder: FolderRecord,
  file: ScannedFile,
  content: string,
  noteHash: string,
  { encoder, parse }: { encoder: Encoder; parse: NoteParser },
  signal: AbortSignal,
) {
  // A big note is parsed on its own thread, a small one here between other work: search and status
  // answer meanwhile.
  const parsed = await parse(file.relPath, content, signal);
  const chunks = chunkNote(parsed, encoder);
  const texts = chunks.map((chunk) => chunkEmbeddingText(parsed.title, chunk));
  // Chunks carry the note's own date (what after:/before: filter on and results show); the note row
  // keeps the file's mtime, which tells a changed file from an unchanged one.
  const dateMs = noteDateMs(parsed, file.relPath, file.mtimeMs);
  const records: ChunkRecord[] = chunks.map((chunk, i) => ({
    id: sha256(`${folder.id}\0${file.relPath}\0${noteHash}\0${chunk.ordinal}`).slice(0, 32),
    // Keyed by exactly what the encoder reads (title and headings included), so a stored vector is
    // reused only where it is the vector this chunk would get.
    chunkId: sha256(texts[i]!),
    folderId: folder.id,
    notePath: file.relPath,
    title: parsed.title,
    headingPath: chunk.headingPath,
    text: chunk.text,
    tags: parsed.tags,
    start: chunk.start,
    end: chunk.end,
    modifiedMs: dateMs,
    noteHash,
    encoderVersion: encoder.version,
    vector: new Float32Array(0),
  }));
  const write: NoteWrite = {
    folderId: folder.id,
    notePath: file.relPath,
    noteHash,
    title: parsed.title,
    modifiedMs: Math.trunc(file.mtimeMs),
    format: noteFormat(file.relPath) ?? 'text',
    chunks: records,
  };
  return { write, texts };
}

/**
 * Reuses stored vectors for chunk content the current encoder already embedded and embeds the rest,
 * EMBED_CALL_CHUNKS at a time, shortest first. After each call the notes' count moves by their share
 * of the chunks embedded so far (all of them once the last call returns).
 */
async function embedMissing(
  pending: PendingNote[],
  encoder: Encoder,
  index: NoteIndex,
  signal: AbortSignal,
  progress: NotesProgress,
): Promise<void> {
  const chunkIds = pending.flatMap((note) => note.write.chunks.map((record) => record.chunkId));
  const reusable = await index.vectorsForChunks([...new Set(chunkIds)], encoder.version);
  const todo = pending.flatMap((note) =>
    note.write.chunks.flatMap((record, i) => {
      const vector = reusable.get(record.chunkId);
      if (vector) record.vector = vector;
      return vector ? [] : [{ record, text: note.texts[i] ?? record.text }];
    }),
  );
  todo.sort((a, b) => a.text.length - b.text.length);
  let counted = 0;
  for (let start = 0; start < todo.length; start += EMBED_CALL_CHUNKS) {
    const call = todo.slice(start, start + EMBED_CALL_CHUNKS);
    progress.flush();
    const vectors = await encoder.embedDocuments(
      call.map((item) => item.text),
      signal,
    );
    call.forEach((item, i) => (item.record.vector = vectors[i]!));
    const share = Math.floor((pending.length * (start + call.length)) / todo.length);
    if (share > counted) progress.add(share - counted);
    counted = Math.max(counted, share);
  }
  if (counted < pending.length) progress.add(pending.length - counted);
}

export function notePathFor(folder: FolderRecord, relPath: string): string {
  return path.join(folder.root, ...relPath.split('/'));
}
