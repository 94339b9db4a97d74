import path from 'node:path';
import { sha256 } from '../base/index.ts';
import type { Encoder } from '../encoder/index.ts';
import {
  chunkEmbeddingText,
  chunkNote,
  noteDateMs,
  noteFormat,
  parseNoteYielding,
  readNoteFile,
  scanFolder,
} from '../ingest/index.ts';
import type { SkippedFile } from '../ingest/index.ts';
import type { ChunkRecord, FolderRecord, NoteIndex, NoteState, NoteWrite } from '../store/index.ts';
import type { JobContext } from '../jobs/index.ts';
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
 * Brings the index in line with one folder: reads only files whose modification time changed,
 * re-embeds only chunks whose content is new, moves renamed notes without re-embedding, and drops
 * notes whose files are gone. Every batch is committed atomically, so a cancelled or killed sync
 * leaves a consistent index and simply continues on the next run.
 */
export async function syncFolder(
  folder: FolderRecord,
  deps: { index: NoteIndex; encoder: () => Promise<Encoder> },
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
  const { files, skipped } = await scan(folder, options, context);
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
  if (changed.length > 0) context.report({ phase: 'index', done: 0, total: changed.length });
  for (let start = 0; start < changed.length; start += batchSize) {
    await context.checkpoint();
    const batch = changed.slice(start, start + batchSize);
    await indexBatch(folder, batch, known, movedAway, deps, options, report, context.signal);
    context.report({
      phase: 'index',
      done: Math.min(start + batchSize, changed.length),
      total: changed.length,
      detail: batch.at(-1)?.relPath,
    });
  }
  const gone = [...movedAway.values()].map((note) => ({ folderId: folder.id, notePath: note.notePath }));
  if (gone.length > 0) await deps.index.removeNotes(gone);
  report.removed = gone.length;
  report.finishedMs = Date.now();
  return report;
}

async function scan(folder: FolderRecord, options: SyncOptions, context: JobContext) {
  const files: ScannedFile[] = [];
  const skipped: SkippedFile[] = [];
  for await (const entry of scanFolder(folder.root, { ignore: options.ignore }, context.signal)) {
    if (entry.kind === 'file') files.push(entry);
    else skipped.push({ path: entry.path, reason: entry.reason, message: entry.message });
    if ((files.length + skipped.length) % 200 === 0)
      context.report({ phase: 'scan', done: files.length + skipped.length });
  }
  context.report({ phase: 'scan', done: files.length + skipped.length });
  return { files, skipped };
}

async function indexBatch(
  folder: FolderRecord,
  batch: ScannedFile[],
  known: Map<string, NoteState>,
  /** Indexed notes whose files are gone, by path: renamed if their content turns up elsewhere, else removed. */
  movedAway: Map<string, NoteState>,
  deps: { index: NoteIndex; encoder: () => Promise<Encoder> },
  options: SyncOptions,
  report: ImportReport,
  signal: AbortSignal,
): Promise<void> {
  const encoder = await deps.encoder();
  const pending: Array<{ write: NoteWrite; texts: string[] }> = [];
  for (const file of batch) {
    const read = await readNoteFile(file.absPath, { maxBytes: options.maxFileBytes });
    if (!read.ok) {
      report.skipped.push({ path: file.relPath, ...read.skipped });
      const indexed = known.get(file.relPath);
      if (indexed && !TRANSIENT_SKIPS.has(read.skipped.reason)) movedAway.set(file.relPath, indexed);
      continue;
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
      continue;
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
      continue;
    }
    const built = await tryBuildNote(folder, file, content, noteHash, encoder, signal);
    if ('skipped' in built) {
      report.skipped.push(built.skipped);
      continue;
    }
    pending.push(built);
    if (previous) report.updated++;
    else report.added++;
  }
  await embedMissing(pending, encoder, deps.index);
  if (pending.length > 0) await deps.index.writeNotes(pending.map((note) => note.write));
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

/** One note that cannot be parsed is skipped and reported; it must not fail the whole import. */
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
  encoder: Encoder,
  signal: AbortSignal,
) {
  // Gives the thread back between pieces of a long note: search and status answer meanwhile.
  const parsed = await parseNoteYielding(file.relPath, content, signal);
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

/** Reuses stored vectors for chunk content the current encoder already embedded; embeds the rest in one call. */
async function embedMissing(
  pending: Array<{ write: NoteWrite; texts: string[] }>,
  encoder: Encoder,
  index: NoteIndex,
): Promise<void> {
  const all = pending.flatMap((note) =>
    note.write.chunks.map((record, i) => ({ record, text: note.texts[i] ?? record.text })),
  );
  const reusable = await index.vectorsForChunks(
    [...new Set(all.map((item) => item.record.chunkId))],
    encoder.version,
  );
  const todo = all.filter((item) => {
    const vector = reusable.get(item.record.chunkId);
    if (vector) item.record.vector = vector;
    return !vector;
  });
  const vectors = todo.length > 0 ? await encoder.embedDocuments(todo.map((item) => item.text)) : [];
  todo.forEach((item, i) => (item.record.vector = vectors[i]!));
}

export function notePathFor(folder: FolderRecord, relPath: string): string {
  return path.join(folder.root, ...relPath.split('/'));
}
