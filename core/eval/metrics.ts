import { DriftlessError } from '../base/index.ts';

/*
 * Ranking metrics over one query. A ranking is a list of doc ids, best first, and its order is the
 * ranking: ties in the underlying scores are whatever order the caller gave (no re-sorting, unlike
 * trec_eval, which breaks score ties by doc id). A doc id repeated in a ranking counts at its first
 * position only; later repeats are removed before the cutoff. A judgement counts as relevant when its
 * grade is above 0. Each function returns undefined for a query with no relevant document, so that
 * such queries are left out of averages rather than scored 0.
 */

/**
 * nDCG@k with linear gains (gain = grade, as in trec_eval and BEIR) and the standard discount
 * 1 / log2(rank + 1); the ideal ranking sorts all judged grades, so judged documents missing from the
 * ranking still count in the ideal.
 */
export function ndcgAtK(
  ranking: readonly string[],
  judged: ReadonlyMap<string, number>,
  k: number,
): number | undefined {
  assertCutoff(k);
  const ideal = [...judged.values()].filter((grade) => grade > 0).sort((a, b) => b - a);
  if (ideal.length === 0) return undefined;
  const gains = topK(ranking, k).map((id) => Math.max(judged.get(id) ?? 0, 0));
  return dcg(gains) / dcg(ideal.slice(0, k));
}

/** Recall@k: relevant documents in the top k over all relevant documents of the query. */
export function recallAtK(
  ranking: readonly string[],
  judged: ReadonlyMap<string, number>,
  k: number,
): number | undefined {
  assertCutoff(k);
  const relevant = countRelevant(judged);
  if (relevant === 0) return undefined;
  const found = topK(ranking, k).filter((id) => (judged.get(id) ?? 0) > 0).length;
  return found / relevant;
}

/** MRR@k: 1 / rank of the first relevant document within the top k, else 0. */
export function mrrAtK(
  ranking: readonly string[],
  judged: ReadonlyMap<string, number>,
  k: number,
): number | undefined {
  assertCutoff(k);
  if (countRelevant(judged) === 0) return undefined;
  const rank = topK(ranking, k).findIndex((id) => (judged.get(id) ?? 0) > 0);
  return rank < 0 ? 0 : 1 / (rank + 1);
}

/** The first k distinct ids of a ranking; a k larger than the list takes the whole list. */
export function topK(ranking: readonly string[], k: number): string[] {
  const seen = new Set<string>();
  for (const id of ranking) {
    if (seen.size >= k) break;
    seen.add(id);
  }
  return [...seen];
}

function dcg(gains: readonly number[]): number {
  return gains.reduce((sum, gain, i) => sum + gain / Math.log2(i + 2), 0);
}

function countRelevant(judged: ReadonlyMap<string, number>): number {
  let count = 0;
  for (const grade of judged.values()) if (grade > 0) count += 1;
  return count;
}

function assertCutoff(k: number): void {
  if (!Number.isInteger(k) || k < 1) {
    throw new DriftlessError('INVALID_ARGUMENT', `A metric cutoff must be a positive integer, got ${k}`, {
      k,
    });
  }
}
