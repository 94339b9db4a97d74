import type { BeirDataset, BeirQuery } from '../../core/eval/index.ts';
import { unitHash } from '../../core/eval/index.ts';
import type { ExcludeSelf } from './args.ts';

/** The queries judged in the split (at least one relevant doc), in queries.jsonl order, first `limit`. */
export function judgedQueries(dataset: Pick<BeirDataset, 'queries' | 'qrels'>, limit?: number): BeirQuery[] {
  const judged = dataset.queries.filter((query) =>
    [...(dataset.qrels.get(query.id)?.values() ?? [])].some((grade) => grade > 0),
  );
  return limit === undefined ? judged : judged.slice(0, limit);
}

/**
 * A fixed sample of `size` queries for latency runs: the queries with the smallest hash of their id,
 * so the sample does not depend on file order and grows stably with size.
 */
export function sampleQueries(queries: readonly BeirQuery[], size: number): BeirQuery[] {
  return [...queries]
    .map((query) => ({ query, key: unitHash(`latency\n${query.id}`) }))
    .sort((a, b) => a.key - b.key)
    .slice(0, size)
    .map(({ query }) => query);
}

/**
 * Whether to drop each query's own id from its results. 'auto' turns it on when most judged queries are
 * themselves corpus documents, which is ArguAna's layout.
 */
export function resolveExcludeSelf(
  setting: ExcludeSelf,
  judged: readonly BeirQuery[],
  corpusIds: ReadonlySet<string>,
): boolean {
  if (setting !== 'auto') return setting === 'on';
  const inCorpus = judged.filter((query) => corpusIds.has(query.id)).length;
  return judged.length > 0 && inCorpus * 2 > judged.length;
}
