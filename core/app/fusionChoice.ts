import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  logAndContinue,
  readJsonFile,
  SeededRandom,
  throwIfAborted,
  writeJsonAtomic,
} from '../base/index.ts';
import { signals } from '../adapt/index.ts';
import type { Encoder } from '../encoder/index.ts';
import { chunkEmbeddingText } from '../ingest/index.ts';
import { searchNotesRanked, weightedRankFusion } from '../search/index.ts';
import { NoteIndex, type ChunkRecord, type NoteWrite, type StoredChunk } from '../store/index.ts';
import { selectFusion, type CandidateScores } from './fusionSelect.ts';

/**
 * How hybrid search weighs its retrievers for one search model and encoder version: the dense list's
 * weight in rank fusion (full text weighs 1) and how a note's full-text chunks add up
 * (`NoteEvidence`). Chosen from the user's own notes by `estimateFusion`.
 */
export const fusionChoiceSchema = z.object({
  model: z.string(),
  version: z.string(),
  denseWeight: z.number().nonnegative(),
  chunkEvidence: z.number().nonnegative(),
  /** Notes in the index when it was chosen, and validation pairs it was chosen on. */
  notes: z.number().int().nonnegative(),
  pairs: z.number().int().nonnegative(),
  /** MRR@10 on the validation pairs: without the dense list (text), the chosen fusion, the default. */
  mrr: z.record(z.string(), z.number()),
  /** The chosen fusion's MRR@10 gain over full text alone on those pairs, and its lower bound. */
  denseGain: z.object({ mean: z.number(), low: z.number() }).optional(),
  chosenMs: z.number(),
});
export type FusionChoice = z.infer<typeof fusionChoiceSchema>;

/**
 * Until enough notes give enough validation pairs: the bundled encoder's earlier constant, dense at
 * 0.3 of full text's weight (equal weights let USE-lite drag hybrid below full text on SciFact and
 * NFCorpus), notes scored by their best chunk.
 */
export const DEFAULT_FUSION = { denseWeight: 0.3, chunkEvidence: 0 } as const;

/** The grid searched: dense weights (0 is full text alone) and chunk evidence. */
export const DENSE_WEIGHTS = [0, 0.1, 0.2, 0.3, 0.5, 0.75, 1] as const;
export const CHUNK_EVIDENCE = [0, 0.25, 0.5] as const;

export interface EstimateOptions {
  /** Notes each giving one validation query (default 150). */
  targets?: number;
  /** Further notes searched alongside, unchanged (default 350). */
  distractors?: number;
  /** Fewer usable pairs than this keeps the default (default 30). */
  minPairs?: number;
  seed?: number;
  /** A folder to build the validation index in; removed afterwards. */
  workDir: string;
}

interface ValidationPair {
  query: string;
  noteKey: string;
}

/**
 * Chooses the hybrid fusion from the notes themselves, with the inverse cloze task: a sentence from
 * inside a note queries that note with the sentence cut out of it, among other notes, so the query
 * text does not occur in what is searched (in the real index full text would find it trivially). The
 * notes are written to a small validation index (stored vectors reused, the cut chunks embedded
 * again), every grid point ranks the same retrieval through `searchNotesRanked`, and `selectFusion`
 * keeps full text alone unless the pairs show with confidence that dense search or chunk evidence
 * adds to it. Returns undefined when the notes give too few pairs.
 */
export async function estimateFusion(
  index: NoteIndex,
  encoder: Encoder,
  options: EstimateOptions,
  signal?: AbortSignal,
): Promise<Omit<FusionChoice, 'model' | 'version' | 'chosenMs'> | undefined> {
  const scored = await scoreFusionCandidates(index, encoder, options, signal);
  if (!scored) return undefined;
  const { candidates, notes, pairs } = scored;
  return { ...selectFusion(candidates, DEFAULT_FUSION), notes, pairs };
}

/**
 * The validation pairs of `estimateFusion` and every grid point's reciprocal rank on each; undefined
 * when the notes give too few pairs.
 */
export async function scoreFusionCandidates(
  index: NoteIndex,
  encoder: Encoder,
  options: EstimateOptions,
  signal?: AbortSignal,
): Promise<{ candidates: CandidateScores[]; notes: number; pairs: number } | undefined> {
  const random = new SeededRandom(options.seed ?? 12);
  const noteKeys = random.shuffle(await index.committedNoteKeys());
  const targets: Array<{ chunks: StoredChunk[]; pair: ValidationPair; cut: StoredChunk }> = [];
  const others: StoredChunk[][] = [];
  const wanted = { targets: options.targets ?? 150, others: options.distractors ?? 350 };
  // Only the notes it walks are read, a batch at a time, in the shuffled order: not every row of
  // the index at once on the thread that serves search.
  for (let from = 0; from < noteKeys.length; from += NOTES_PER_READ) {
    if (targets.length >= wanted.targets && others.length >= wanted.others) break;
    throwIfAborted(signal);
    const batch = noteKeys.slice(from, from + NOTES_PER_READ);
    const chunksByNote = await index.chunksOfNotes(batch);
    for (const key of batch) {
      const chunks = chunksByNote.get(key);
      if (!chunks) continue;
      const cloze = targets.length < wanted.targets ? clozeOf(chunks, random) : undefined;
      if (cloze) targets.push({ chunks, ...cloze });
      else if (others.length < wanted.others) others.push(chunks);
    }
  }
  if (targets.length < (options.minPairs ?? 30)) return undefined;
  await fs.mkdir(options.workDir, { recursive: true });
  const validation = await NoteIndex.open(options.workDir, { dimensions: encoder.dimensions });
  try {
    const cuts = new Map(targets.map((target) => [target.cut.id, target.cut]));
    const writes = await noteWrites(
      index,
      encoder,
      [...targets.map((t) => t.chunks), ...others],
      cuts,
      signal,
    );
    for (const batch of byRows(writes, ROWS_PER_WRITE)) await validation.writeNotes(batch, signal);
    const pairs = targets.map((target) => target.pair);
    const candidates = await scoreCandidates(validation, encoder, pairs, signal);
    return { candidates, notes: noteKeys.length, pairs: pairs.length };
  } finally {
    await validation.close();
    await fs.rm(options.workDir, { recursive: true, force: true });
  }
}

/** Every grid point's reciprocal rank of each pair's note, from one retrieval per pair. */
async function scoreCandidates(
  validation: NoteIndex,
  encoder: Encoder,
  pairs: readonly ValidationPair[],
  signal?: AbortSignal,
): Promise<CandidateScores[]> {
  const grid = CHUNK_EVIDENCE.flatMap((chunkEvidence) =>
    DENSE_WEIGHTS.map((denseWeight) => ({ denseWeight, chunkEvidence, reciprocalRanks: [] as number[] })),
  );
  const rankings = grid.map((point) => ({
    fusion: weightedRankFusion({ dense: point.denseWeight }),
    noteEvidence: { chunkEvidence: point.chunkEvidence },
  }));
  for (const pair of pairs) {
    const request = { query: pair.query, mode: 'hybrid' as const, limit: 10 };
    const results = await searchNotesRanked(validation, encoder, request, {}, rankings, signal);
    results.forEach((result, i) => {
      const rank = result.hits.findIndex((hit) => noteKey(hit) === pair.noteKey);
      grid[i]!.reciprocalRanks.push(rank >= 0 ? 1 / (rank + 1) : 0);
    });
  }
  return grid;
}

const noteKey = (chunk: { folderId: string; notePath: string }) => `${chunk.folderId}/${chunk.notePath}`;

/** Notes whose chunks one read of the index fetches while validation notes are picked. */
const NOTES_PER_READ = 64;
/**
 * Chunk rows per write of the validation index: LanceDB turns a write's rows into Arrow on the
 * calling thread, which for the 500 notes of a validation index took over a second in one write.
 */
const ROWS_PER_WRITE = 256;

/** Consecutive groups of notes of about `rows` chunk rows each (a note is never split). */
function byRows(writes: readonly NoteWrite[], rows: number): NoteWrite[][] {
  const groups: NoteWrite[][] = [];
  let size = rows;
  for (const write of writes) {
    if (size + write.chunks.length > rows) {
      groups.push([]);
      size = 0;
    }
    groups.at(-1)!.push(write);
    size += write.chunks.length;
  }
  return groups;
}

/**
 * A validation query is plain words: characters the query syntax reads as operators (quotes, tags,
 * `key:value`), a leading `-` (leaves notes out) and `OR` (joins terms) are dropped or lowercased.
 */
function plainQuery(text: string): string {
  return text
    .replace(/["#:]/g, ' ')
    .replace(/(^|\s)-+(?=\S)/g, '$1')
    .replace(/\bOR\b/g, 'or')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A sentence from inside one of the note's chunks, and that chunk without it; in a note written
 * without sentence punctuation (keyword lists, transcripts, preprocessed abstracts) a span of words.
 */
function clozeOf(
  chunks: readonly StoredChunk[],
  random: SeededRandom,
): { pair: ValidationPair; cut: StoredChunk } | undefined {
  const usable = chunks.filter((chunk) => signals.sentences(chunk.text).length >= 3);
  if (usable.length === 0) return spanClozeOf(chunks, random);
  const chunk = usable[random.int(usable.length)]!;
  const parts = signals.sentences(chunk.text);
  const sentence = parts[1 + random.int(parts.length - 2)]!;
  const query = plainQuery(sentence);
  if (query.length < 20 || query.length > 300 || !/\p{L}{3}/u.test(query)) return undefined;
  const text = chunk.text.replace(sentence, ' ').replace(/\s+/g, ' ').trim();
  return { pair: { query, noteKey: noteKey(chunk) }, cut: { ...chunk, text } };
}

/** Words around a span cut from an unpunctuated chunk, so the span is never at the chunk's edge. */
const SPAN_MARGIN = 5;
const SPAN_WORDS = { min: 12, spread: 9 };

/** 12 to 20 words from inside an unpunctuated chunk of at least 40 words, cut out of it. */
function spanClozeOf(
  chunks: readonly StoredChunk[],
  random: SeededRandom,
): { pair: ValidationPair; cut: StoredChunk } | undefined {
  const unpunctuated = chunks.filter(
    (chunk) => signals.sentences(chunk.text).length < 2 && chunk.text.split(/\s+/).length >= 40,
  );
  if (unpunctuated.length === 0) return undefined;
  const chunk = unpunctuated[random.int(unpunctuated.length)]!;
  const words = chunk.text.trim().split(/\s+/);
  const length = SPAN_WORDS.min + random.int(SPAN_WORDS.spread);
  const start = SPAN_MARGIN + random.int(words.length - length - 2 * SPAN_MARGIN + 1);
  const query = plainQuery(words.slice(start, start + length).join(' '));
  if (!/\p{L}{3}/u.test(query)) return undefined;
  const text = [...words.slice(0, start), ...words.slice(start + length)].join(' ');
  return { pair: { query, noteKey: noteKey(chunk) }, cut: { ...chunk, text } };
}

async function noteWrites(
  index: NoteIndex,
  encoder: Encoder,
  notes: readonly StoredChunk[][],
  cuts: ReadonlyMap<string, StoredChunk>,
  signal?: AbortSignal,
): Promise<NoteWrite[]> {
  const rows = notes.flat().map((chunk) => cuts.get(chunk.id) ?? chunk);
  const stored = await index.vectorsForChunks(
    rows.filter((row) => !cuts.has(row.id)).map((row) => row.chunkId),
    encoder.version,
  );
  const todo = rows.filter((row) => cuts.has(row.id) || !stored.has(row.chunkId));
  const vectors = await encoder.embedDocuments(
    todo.map((row) => chunkEmbeddingText(row.title, { ...row, ordinal: 0 })),
    signal,
  );
  const fresh = new Map(todo.map((row, i) => [row.id, vectors[i]!]));
  throwIfAborted(signal);
  return notes.map((chunks): NoteWrite => {
    const first = chunks[0]!;
    const records = chunks.map(
      (chunk): ChunkRecord => ({
        ...(cuts.get(chunk.id) ?? chunk),
        encoderVersion: encoder.version,
        vector: fresh.get(chunk.id) ?? stored.get(chunk.chunkId)!,
      }),
    );
    return {
      folderId: first.folderId,
      notePath: first.notePath,
      noteHash: first.noteHash,
      title: first.title,
      modifiedMs: first.modifiedMs,
      format: 'text',
      chunks: records,
    };
  });
}

/** The recorded choice of the data folder, if any. */
export async function readFusionChoice(root: string): Promise<FusionChoice | undefined> {
  // Without a readable choice search uses the default fusion, and the next check chooses again.
  return readJsonFile(fusionChoiceFile(root), fusionChoiceSchema).catch(
    logAndContinue('Reading the hybrid fusion choice (fusion.json)'),
  );
}

export async function writeFusionChoice(root: string, choice: FusionChoice): Promise<void> {
  await writeJsonAtomic(fusionChoiceFile(root), choice);
}

export function fusionChoiceFile(root: string): string {
  return path.join(root, 'fusion.json');
}
