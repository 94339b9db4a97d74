import { sha256 } from '../../base/index.ts';
import type { TokenCounter } from '../../encoder/index.ts';
import { chunkEmbeddingText, chunkNote, loadNoteParsers } from '../../ingest/index.ts';
import { chunkRowId } from '../../store/index.ts';
import type { ChunkRecord, NoteWrite } from '../../store/index.ts';
import { NoteNamer, renderNote } from '../index.ts';
import type { BeirDoc } from '../index.ts';

// Loaded once with this module (the evaluation only): chunkCorpus parses a whole corpus in one pass.
const { parseNote } = await loadNoteParsers();

/** One chunk of a task's corpus as the index stores it, with the text the encoder embeds. */
export interface CorpusChunk {
  docId: string;
  notePath: string;
  title: string;
  headingPath: string[];
  text: string;
  embeddingText: string;
  ordinal: number;
  chunkId: string;
  start: number;
  end: number;
}

/** A task's corpus, chunked the way an import chunks a folder of notes. */
export interface ChunkedCorpus {
  folderId: string;
  chunks: CorpusChunk[];
  /** Note path -> doc id. */
  noteToDoc: Map<string, string>;
  /** Doc id -> the embedding text of its first chunk (the passage a training pair points at). */
  firstChunk: Map<string, CorpusChunk>;
  noteHashes: Map<string, string>;
}

/**
 * Renders every doc as the Markdown note `materializeCorpus` would write, parses and chunks it with
 * the app's own parser and chunker, and keeps the text each chunk is embedded as.
 */
export function chunkCorpus(
  folderId: string,
  docs: readonly BeirDoc[],
  counter: TokenCounter,
): ChunkedCorpus {
  const namer = new NoteNamer();
  const corpus: ChunkedCorpus = {
    folderId,
    chunks: [],
    noteToDoc: new Map(),
    firstChunk: new Map(),
    noteHashes: new Map(),
  };
  for (const doc of docs) {
    const notePath = namer.nameFor(doc.id);
    const content = renderNote(doc);
    const parsed = parseNote(notePath, content);
    corpus.noteToDoc.set(notePath, doc.id);
    corpus.noteHashes.set(notePath, sha256(content));
    for (const chunk of chunkNote(parsed, counter)) {
      const item: CorpusChunk = {
        docId: doc.id,
        notePath,
        title: parsed.title,
        headingPath: chunk.headingPath,
        text: chunk.text,
        embeddingText: chunkEmbeddingText(parsed.title, chunk),
        ordinal: chunk.ordinal,
        chunkId: chunk.chunkId,
        start: chunk.start,
        end: chunk.end,
      };
      corpus.chunks.push(item);
      if (!corpus.firstChunk.has(doc.id)) corpus.firstChunk.set(doc.id, item);
    }
  }
  return corpus;
}

/** The corpus as note writes for the index, every chunk with its vector from `version`. */
export function noteWrites(
  corpus: ChunkedCorpus,
  version: string,
  vectors: readonly Float32Array[],
): NoteWrite[] {
  const notes = new Map<string, NoteWrite>();
  corpus.chunks.forEach((chunk, i) => {
    const key = { folderId: corpus.folderId, notePath: chunk.notePath };
    const noteHash = corpus.noteHashes.get(chunk.notePath)!;
    let note = notes.get(chunk.notePath);
    if (!note) {
      note = { ...key, noteHash, title: chunk.title, modifiedMs: 0, format: 'markdown', chunks: [] };
      notes.set(chunk.notePath, note);
    }
    const record: ChunkRecord = {
      id: chunkRowId(key, chunk.ordinal),
      chunkId: chunk.chunkId,
      ...key,
      title: chunk.title,
      headingPath: chunk.headingPath,
      text: chunk.text,
      tags: [],
      start: chunk.start,
      end: chunk.end,
      modifiedMs: 0,
      noteHash,
      encoderVersion: version,
      vector: vectors[i]!,
    };
    note.chunks.push(record);
  });
  return [...notes.values()];
}
