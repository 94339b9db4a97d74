import { mrrAtK, ndcgAtK, recallAtK } from './metrics.ts';
import type { EvaluateOptions, Evaluation, MetricCutoffs, Qrels, Run } from './types.ts';

/** The cutoffs a retrieval benchmark reports unless told otherwise. */
export const DEFAULT_CUTOFFS: Readonly<Required<MetricCutoffs>> = {
  ndcg: [10],
  recall: [10, 100],
  mrr: [10],
};

type MetricFn = (
  ranking: readonly string[],
  judged: ReadonlyMap<string, number>,
  k: number,
) => number | undefined;

const METRICS: ReadonlyArray<[keyof MetricCutoffs, string, MetricFn]> = [
  ['ndcg', 'nDCG', ndcgAtK],
  ['recall', 'Recall', recallAtK],
  ['mrr', 'MRR', mrrAtK],
];

/**
 * Scores a run against qrels. Every query of the qrels with at least one relevant document is
 * evaluated and counts in every mean; one missing from the run scores as an empty ranking. Queries of
 * the run without judgements are ignored. With `excludeSelf`, a query's own id is removed from its
 * ranking before cutting (ArguAna).
 *
 * @example
 * evaluateRun(new Map([['q1', ['d3', 'd1']]]), qrels, { cutoffs: { ndcg: [10] } }).metrics['nDCG@10']
 */
export function evaluateRun(run: Run, qrels: Qrels, options: EvaluateOptions = {}): Evaluation {
  const cutoffs = options.cutoffs ?? DEFAULT_CUTOFFS;
  const perQuery = new Map<string, Record<string, number>>();
  let missingFromRun = 0;
  for (const [queryId, judged] of qrels) {
    if (![...judged.values()].some((grade) => grade > 0)) continue;
    const given = run.get(queryId);
    if (!given) missingFromRun += 1;
    const ranking = options.excludeSelf ? (given ?? []).filter((id) => id !== queryId) : (given ?? []);
    perQuery.set(queryId, scoreQuery(ranking, judged, cutoffs));
  }
  return { queries: perQuery.size, missingFromRun, metrics: meanOf(perQuery, cutoffs), perQuery };
}

function scoreQuery(
  ranking: readonly string[],
  judged: ReadonlyMap<string, number>,
  cutoffs: MetricCutoffs,
): Record<string, number> {
  const scores: Record<string, number> = {};
  for (const [key, label, fn] of METRICS) {
    for (const k of cutoffs[key] ?? []) scores[`${label}@${k}`] = fn(ranking, judged, k) ?? 0;
  }
  return scores;
}

/** Metric names in a fixed order (nDCG, Recall, MRR; cutoffs as given), for stable report keys. */
export function metricNames(cutoffs: MetricCutoffs = DEFAULT_CUTOFFS): string[] {
  return METRICS.flatMap(([key, label]) => (cutoffs[key] ?? []).map((k) => `${label}@${k}`));
}

function meanOf(
  perQuery: Map<string, Record<string, number>>,
  cutoffs: MetricCutoffs,
): Record<string, number> {
  const means: Record<string, number> = {};
  for (const name of metricNames(cutoffs)) {
    let sum = 0;
    for (const scores of perQuery.values()) sum += scores[name] ?? 0;
    means[name] = perQuery.size === 0 ? 0 : sum / perQuery.size;
  }
  return means;
}
