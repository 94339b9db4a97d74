import type { NoteGroup } from './grouping.ts';

/**
 * A second opinion on the order of the notes a search found, given the query: where a cross-encoder
 * or a learned ranker plugs in (LanceDB's `Reranker` sits at the same step, after fusion).
 *
 * `searchNotes` calls it once per ranking, with the matches in the order it would show them: fused,
 * exact-match boosts applied (`tier`), past the relevance floor, before pinned notes are moved first
 * and before the limit, so it sees every match and a pin still wins. Filter-only queries have no
 * text to judge and are not reranked; related notes keep their order.
 *
 * @example
 * const byTitleLength: Reranker = {
 *   rerank: async (_query, notes) => [...notes].sort((a, b) => a.best.title.length - b.best.title.length),
 * };
 * await searchNotes(index, encoder, { query: 'tomatoes' }, { reranker: byTitleLength });
 */
export interface Reranker {
  /**
   * @param query the query's free text (operators and filters taken out).
   * @param notes the candidates, best first; each note's `chunks` hold the text it was found by.
   * @returns the notes to show, best first: some or all of `notes`, none added. A note's hit shows
   *   `score + tier`, so a reranker whose scores should be shown returns the notes with them set.
   */
  rerank(query: string, notes: readonly NoteGroup[], signal?: AbortSignal): Promise<NoteGroup[]>;
}

/** The default: the fused order as it is, so a search without a reranker ranks as before the seam. */
export const keepFusedOrder: Reranker = { rerank: async (_query, notes) => [...notes] };
