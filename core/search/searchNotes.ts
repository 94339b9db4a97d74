import { DriftlessError, throwIfAborted } from '../base/index.ts';
import type { Encoder } from '../encoder/types.ts';
import type { ChunkFilters, NoteIndex, ScoredChunk } from '../store/index.ts';
import { applyBoosts } from './boosts.ts';
import { noteConstraints, type NoteConstraints } from './constraints.ts';
import { mergeFilters } from './filters.ts';
import type { SearchHit } from './hits.ts';
import { reciprocalRankFusion } from './fusion.ts';
import { noteKeyOf, rankGroups } from './grouping.ts';
import type { NoteGroup } from './grouping.ts';
import { makeSnippet, matcher } from './highlight.ts';
import { DEFAULT_NOTE_EVIDENCE, fuseNotes } from './noteEvidence.ts';
import { parseQuery } from './parseQuery.ts';
import type { ParsedQuery } from './parseQuery.ts';
import { splitByRelevance, type RelevanceFloors } from './relevanceFloor.ts';
import { keepFusedOrder } from './reranker.ts';
import { currentVersionOnly, retrieve, type Retrieval } from './retrieve.ts';
import type { FolderResolver, NoteMarksView, SearchOptions, SearchRequest, SearchResult } from './types.ts';
import { rankMerge } from './versionMerge.ts';

const DEFAULT_LIMIT = 20;
const DEFAULT_DEPTH_PER_NOTE = 5;
const MIN_DEPTH = 50;
/** Loosely related notes shown apart from the results, at most. */
const RELATED_LIMIT = 5;

/**
 * Searches the notes: embeds the query once, runs dense and full-text retrieval (per `mode`),
 * turns each retriever's chunks into a ranking of notes (`noteEvidence`), fuses those (RRF by
 * default), ranks exact title and phrase matches first (hybrid mode), lets `options.reranker` reorder
 * the matches (the fused order by default), and returns one hit per note with a highlighted snippet
 * of its best chunk.
 */
export async function searchNotes(
  index: NoteIndex,
  encoder: Encoder,
  request: SearchRequest,
  options: SearchOptions = {},
  signal?: AbortSignal,
): Promise<SearchResult> {
  const [result] = await searchNotesRanked(index, encoder, request, options, [options], signal);
  return result!;
}

/** How one ranking of the same retrieval fuses it (the rest of SearchOptions is shared). */
export type RankingOptions = Pick<SearchOptions, 'fusion' | 'noteEvidence'>;

/**
 * `searchNotes` with one retrieval ranked several ways, one result per entry of `rankings`: what
 * choosing a fusion from validation queries needs without searching again for every candidate.
 */
export async function searchNotesRanked(
  index: NoteIndex,
  encoder: Encoder,
  request: SearchRequest,
  options: SearchOptions,
  rankings: readonly RankingOptions[],
  signal?: AbortSignal,
): Promise<SearchResult[]> {
  const parsed = parseQuery(request.query, options.querySyntax ?? 'plain');
  const filters: ChunkFilters = {
    ...mergeFilters(request.filters, queryFilters(parsed, options.resolveFolder)),
    ...(options.excludeChunkIds?.length ? { excludeChunkIds: options.excludeChunkIds } : {}),
  };
  const limit = request.limit ?? DEFAULT_LIMIT;
  const depth = Math.max(limit * (options.depthPerNote ?? DEFAULT_DEPTH_PER_NOTE), MIN_DEPTH);
  const constraints = await noteConstraints(index, parsed, filters, depth, options.marks);
  if (!parsed.text) {
    const result = await filterOnly(index, parsed, filters, limit, constraints, options.marks);
    return rankings.map(() => result);
  }
  const mode = request.mode ?? 'hybrid';
  const vectorsByVersion = options.vectorsByVersion ?? currentVersionOnly;
  const retrieval = await retrieve({
    index,
    encoder,
    parsed,
    filters,
    mode,
    depth,
    vectorsByVersion,
    versionMerge: options.versionMerge ?? rankMerge(),
    phraseChunks: constraints.phraseChunks,
    ...(signal ? { signal } : {}),
  });
  throwIfAborted(signal);
  const titleChunks = mode === 'hybrid' ? await titleMatches(index, parsed, filters) : [];
  const reranker = options.reranker ?? keepFusedOrder;
  return Promise.all(
    rankings.map(async (ranking) => {
      let groups = fuseNotes(
        retrieval.lists,
        ranking.fusion ?? reciprocalRankFusion(),
        ranking.noteEvidence ?? DEFAULT_NOTE_EVIDENCE,
      );
      if (mode === 'hybrid') groups = applyBoosts(groups, parsed.text, parsed.phrases, titleChunks);
      const ranked = rankGroups(groups.filter((group) => constraints.allows(group.best)));
      const { matches, related } = applyFloor(ranked, retrieval, options.relevanceFloors);
      const reranked = await reranker.rerank(parsed.text, matches, signal);
      const hits = pinnedFirst(reranked, options.marks)
        .slice(0, limit)
        .map((group) => toHit(group, parsed));
      return {
        hits,
        related: related.slice(0, RELATED_LIMIT).map((group) => toHit(group, parsed)),
        understood: parsed.chips,
        versionsSearched: retrieval.versionsSearched,
      };
    }),
  );
}

/** Without a floor every candidate is a result (benchmarks and the gate rank that way). */
function applyFloor(ranked: NoteGroup[], retrieval: Retrieval, floors: RelevanceFloors | undefined) {
  if (floors === undefined) return { matches: ranked, related: [] };
  return splitByRelevance(ranked, retrieval.evidence, floors);
}

/**
 * The query's own filters with its `folder:` names resolved to ids.
 * @throws DriftlessError INVALID_ARGUMENT naming every operator that cannot be used.
 */
function queryFilters(parsed: ParsedQuery, resolveFolder: FolderResolver = (ref) => ref) {
  const problems = [...parsed.problems];
  const folderIds: string[] = [];
  for (const ref of parsed.folders) {
    const resolved = resolveFolder(ref);
    if (typeof resolved === 'string') folderIds.push(resolved);
    else problems.push(resolved.problem);
  }
  if (problems.length)
    throw new DriftlessError('INVALID_ARGUMENT', problems.join(' '), { query: parsed.text, problems });
  return folderIds.length ? { ...parsed.filters, folderIds } : parsed.filters;
}

/** Notes titled exactly like the query text or one of its phrases, one (first) chunk per note. */
async function titleMatches(
  index: NoteIndex,
  parsed: ParsedQuery,
  filters: ChunkFilters,
): Promise<ScoredChunk[]> {
  const titles = [...new Set([parsed.text, ...parsed.phrases])];
  const found = (
    await Promise.all(titles.map((title) => index.titleSearch(title, { k: 50, filters })))
  ).flat();
  return firstChunkPerNote(found);
}

function firstChunkPerNote(chunks: readonly ScoredChunk[]): ScoredChunk[] {
  const first = new Map<string, ScoredChunk>();
  for (const chunk of chunks) {
    const seen = first.get(noteKeyOf(chunk));
    if (!seen || chunk.start < seen.start) first.set(noteKeyOf(chunk), chunk);
  }
  return [...first.values()];
}

/** A query of filters only lists the matching notes, most recently modified first. */
async function filterOnly(
  index: NoteIndex,
  parsed: ParsedQuery,
  filters: ChunkFilters,
  limit: number,
  constraints: NoteConstraints,
  marks: NoteMarksView | undefined,
): Promise<SearchResult> {
  const chunks = firstChunkPerNote(await index.filterSearch({ k: Math.max(limit * 20, 1000), filters }));
  const newestFirst = chunks
    .filter((chunk) => constraints.allows(chunk))
    .sort((a, b) => b.modifiedMs - a.modifiedMs)
    .map((chunk): NoteGroup => ({ best: chunk, chunks: [chunk], score: 0, tier: 0 }));
  const groups = pinnedFirst(newestFirst, marks);
  const hits = groups.slice(0, limit).map((group) => toHit(group, parsed));
  return { hits, related: [], understood: parsed.chips, versionsSearched: [] };
}

/** Pinned notes first, each part in the order it had: a pin floats a match up, it adds no match. */
function pinnedFirst(groups: NoteGroup[], marks: NoteMarksView | undefined): NoteGroup[] {
  if (!marks) return groups;
  const pinned = groups.filter((group) => marks.isPinned(group.best));
  return pinned.length ? [...pinned, ...groups.filter((group) => !marks.isPinned(group.best))] : groups;
}

/** The score shown is the fused score plus the boost tier, so it orders hits the way they rank. */
function toHit(group: NoteGroup, parsed: ParsedQuery): SearchHit {
  const { best } = group;
  const { snippet, highlights } = makeSnippet(best.text, matcher([parsed.text], parsed.phrases));
  return {
    folderId: best.folderId,
    notePath: best.notePath,
    title: best.title,
    headingPath: best.headingPath,
    snippet,
    highlights,
    score: group.score + group.tier,
    chunkId: best.chunkId,
    start: best.start,
    end: best.end,
    modifiedMs: best.modifiedMs,
    tags: best.tags,
    encoderVersion: best.encoderVersion,
    moreChunks: group.chunks.length - 1,
  };
}
