import type { BeirDataset, BeirQuery, Evaluation, Run } from '../index.ts';
import { docIdForNote } from '../index.ts';
import { markdownTable, num } from './tables.ts';

/** The part of the search API a retrieval evaluation needs. */
export interface SearchApi {
  search(args: {
    query: string;
    mode: 'text' | 'dense' | 'hybrid';
    limit: number;
  }): Promise<{ hits: ReadonlyArray<{ notePath: string }>; related: ReadonlyArray<{ notePath: string }> }>;
}

/** The API's limit on query length; longer queries are cut to it. */
export const MAX_QUERY_CHARS = 2000;

/** The judged queries of a split (at least one relevant doc), in file order, first `limit`. */
export function judgedQueries(dataset: Pick<BeirDataset, 'queries' | 'qrels'>, limit?: number): BeirQuery[] {
  const judged = dataset.queries.filter((query) =>
    [...(dataset.qrels.get(query.id)?.values() ?? [])].some((grade) => grade > 0),
  );
  return limit === undefined ? judged : judged.slice(0, limit);
}

/** True when most judged queries are themselves corpus documents (ArguAna): drop a query's own doc. */
export function queriesAreDocs(queries: readonly BeirQuery[], corpusIds: ReadonlySet<string>): boolean {
  const inCorpus = queries.filter((query) => corpusIds.has(query.id)).length;
  return queries.length > 0 && inCorpus * 2 > queries.length;
}

/** Runs each query through the search API in one mode and maps note hits back to doc ids. */
export async function searchRun(
  api: SearchApi,
  queries: readonly BeirQuery[],
  options: { mode: 'text' | 'dense' | 'hybrid'; limit: number; noteToDoc: ReadonlyMap<string, string> },
): Promise<Run> {
  const run = new Map<string, string[]>();
  for (const query of queries) {
    const response = await api.search({
      query: query.text.slice(0, MAX_QUERY_CHARS),
      mode: options.mode,
      limit: options.limit,
    });
    const docIds: string[] = [];
    // What the window lists: the matches, then the notes it shows apart as related.
    for (const hit of [...response.hits, ...response.related]) {
      const docId = docIdForNote(options.noteToDoc, hit.notePath);
      if (docId !== undefined && !docIds.includes(docId)) docIds.push(docId);
    }
    run.set(query.id, docIds);
  }
  return run;
}

/** One table: a row per search mode, a column per metric. */
export function retrievalMarkdown(
  dataset: string,
  evaluations: ReadonlyArray<{ mode: string; evaluation: Evaluation }>,
): string {
  const metrics = Object.keys(evaluations[0]?.evaluation.metrics ?? {});
  const queries = evaluations[0]?.evaluation.queries ?? 0;
  return [
    `Retrieval on ${dataset} (${queries} judged queries)`,
    '',
    markdownTable(
      ['mode', ...metrics],
      evaluations.map(({ mode, evaluation }) => [
        mode,
        ...metrics.map((name) => num(evaluation.metrics[name])),
      ]),
    ),
    '',
  ].join('\n');
}
