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
 * themselves corpus documents, which is ArguAna's layout: the document with the query's id holds the
 * query's text. An id alone is not enough: CISI, CACM, Cranfield and MEDLINE number queries and
 * documents alike, and there dropping doc "5" from query 5's results dropped judged relevant documents.
 */
export function resolveExcludeSelf(
  setting: ExcludeSelf,
  judged: readonly BeirQuery[],
  corpusTexts: ReadonlyMap<string, string>,
): boolean {
  if (setting !== 'auto') return setting === 'on';
  const inCorpus = judged.filter((query) => isSameText(corpusTexts.get(query.id), query.text)).length;
  return judged.length > 0 && inCorpus * 2 > judged.length;
}

/** Whitespace-insensitive equality of a query and a document text's start (the query may be cut). */
function isSameText(docText: string | undefined, queryText: string): boolean {
  if (docText === undefined) return false;
  const squeeze = (text: string) => text.replace(/\s+/g, ' ').trim();
  const query = squeeze(queryText);
  return query.length > 0 && squeeze(docText).startsWith(query);
}
