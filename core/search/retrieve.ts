import type { Encoder } from '../encoder/types.ts';
import type { ChunkFilters, NoteIndex, ScoredChunk } from '../store/index.ts';
import type { RankedList } from './fusion.ts';
import { noteKeyOf } from './grouping.ts';
import type { ParsedQuery } from './parseQuery.ts';
import type { NoteEvidenceKinds } from './relevanceFloor.ts';
import type { SearchMode, VectorsByVersion } from './types.ts';
import type { VersionMergeStrategy } from './versionMerge.ts';

export const currentVersionOnly: VectorsByVersion = async (queryVector, encoder) =>
  new Map([[encoder.version, queryVector]]);

export interface Retrieval {
  lists: RankedList[];
  versionsSearched: string[];
  /** Which notes each kind of retriever found, for the relevance floor. */
  evidence: NoteEvidenceKinds;
}

interface RetrieveArgs {
  index: NoteIndex;
  encoder: Encoder;
  parsed: ParsedQuery;
  filters: ChunkFilters;
  mode: SearchMode;
  depth: number;
  vectorsByVersion: VectorsByVersion;
  versionMerge: VersionMergeStrategy;
  /** Chunks holding each quoted phrase, already looked up (see noteConstraints): ranked as lists too. */
  phraseChunks: ScoredChunk[][];
  signal?: AbortSignal;
}

/**
 * Searches each version's space with its own query vector, restricted to that version's rows, and
 * merges the per-version lists with the merge strategy (scores of different spaces differ).
 */
async function denseList(args: RetrieveArgs): Promise<DenseRetrieval> {
  const [queryVector] = await args.encoder.embedQueries([args.parsed.text], args.signal);
  if (!queryVector) return NO_DENSE;
  const vectors = await args.vectorsByVersion(queryVector, args.encoder);
  const perVersion = await Promise.all(
    [...vectors].map(([encoderVersion, vector]) =>
      args.index.denseSearch(vector, { k: args.depth, encoderVersion, filters: args.filters }),
    ),
  );
  const lists = [...vectors].map(([version, queryVector], i) => ({
    version,
    queryVector,
    chunks: perVersion[i] ?? [],
  }));
  const chunks = await args.versionMerge.merge(lists, args.depth, queryVector);
  return {
    lists: [{ name: 'dense', chunks }],
    versionsSearched: [...vectors.keys()],
    bestCosine: bestCosineByNote(perVersion.flat()),
  };
}

type DenseRetrieval = Omit<Retrieval, 'evidence'> & { bestCosine: Map<string, number> };

const NO_DENSE: DenseRetrieval = { lists: [], versionsSearched: [], bestCosine: new Map() };

/** Each note's best raw cosine (before a version merge turns scores into ranks). */
function bestCosineByNote(chunks: readonly ScoredChunk[]): Map<string, number> {
  const best = new Map<string, number>();
  for (const chunk of chunks) {
    const key = noteKeyOf(chunk);
    best.set(key, Math.max(best.get(key) ?? -Infinity, chunk.score));
  }
  return best;
}

async function textLists(args: RetrieveArgs): Promise<RankedList[]> {
  const { index, parsed, depth, filters } = args;
  const words = await index.textSearch(parsed.text, { k: depth, filters });
  const phrases = args.phraseChunks.map((chunks, i) => ({ name: `phrase-${i + 1}`, chunks }));
  return [{ name: 'text', chunks: words }, ...phrases];
}

/** Runs the retrievers the mode asks for, concurrently. */
export async function retrieve(args: RetrieveArgs): Promise<Retrieval> {
  const [dense, text] = await Promise.all([
    args.mode === 'text' ? NO_DENSE : denseList(args),
    args.mode === 'dense' ? [] : textLists(args),
  ]);
  const textNotes = new Set(text.flatMap((list) => list.chunks.map(noteKeyOf)));
  return {
    lists: [...dense.lists, ...text],
    versionsSearched: dense.versionsSearched,
    evidence: { textNotes, bestCosine: dense.bestCosine },
  };
}
