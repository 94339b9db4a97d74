/** One document of a BEIR corpus (`corpus.jsonl`). */
export interface BeirDoc {
  id: string;
  /** Empty when the corpus line has no title. */
  title: string;
  text: string;
}

/** One query of a BEIR query file (`queries.jsonl`). */
export interface BeirQuery {
  id: string;
  text: string;
}

/**
 * Relevance judgements: query id -> (doc id -> grade). Grades are the qrels scores as given; only a
 * grade above 0 counts as relevant.
 */
export type Qrels = Map<string, Map<string, number>>;

/** A ranked result list per query id, best first; the order given is the ranking (see metrics.ts). */
export type Run = Map<string, readonly string[]>;

/** What the reader does with a qrels row whose query or doc id is not in the dataset. */
export type UnknownIdPolicy = 'error' | 'drop';

export interface ReadBeirOptions {
  /** Qrels split to read; default 'test'. */
  split?: string;
  /** 'error' (default): fail on the first unknown id. 'drop': skip such rows and count them. */
  unknownIds?: UnknownIdPolicy;
}

/** Rows the reader skipped or merged, so a benchmark report can say what it evaluated. */
export interface QrelsIssues {
  /** Rows naming a query id that is not in queries.jsonl (dropped; only with unknownIds 'drop'). */
  unknownQueryRows: number;
  /** Rows naming a doc id that is not in corpus.jsonl (dropped; only with unknownIds 'drop'). */
  unknownDocRows: number;
  /** Repeated (query, doc) pairs; the highest grade is kept. */
  duplicateRows: number;
}

export interface BeirDataset {
  dir: string;
  split: string;
  /** The qrels file that was read. */
  qrelsFile: string;
  corpus: BeirDoc[];
  /** Every query of queries.jsonl, judged or not, in file order. */
  queries: BeirQuery[];
  qrels: Qrels;
  issues: QrelsIssues;
}

export interface QuerySplit {
  train: string[];
  test: string[];
}

export interface SplitOptions {
  /** Fraction of ids that go to the test side, in [0, 1]. */
  testRatio: number;
  /** Any string; changing it gives an independent split. */
  seed: string;
}

/** Cutoffs per metric, e.g. `{ ndcg: [10], recall: [10, 100], mrr: [10] }`. */
export interface MetricCutoffs {
  ndcg?: number[];
  recall?: number[];
  mrr?: number[];
}

export interface EvaluateOptions {
  cutoffs?: MetricCutoffs;
  /** Remove the query's own id from its ranking before cutting (ArguAna: the query text is in the corpus). */
  excludeSelf?: boolean;
}

/** Mean metrics over the evaluated queries, keyed 'nDCG@10', 'Recall@100', 'MRR@10', ... */
export interface Evaluation {
  /** Queries with at least one relevant document in the qrels: the denominator of every mean. */
  queries: number;
  /** Judged queries that had no entry in the run (scored as empty rankings). */
  missingFromRun: number;
  metrics: Record<string, number>;
  perQuery: Map<string, Record<string, number>>;
}

/** Where a corpus was written as notes, and how to get from a note back to its document. */
export interface MaterializedCorpus {
  folder: string;
  /** Note path relative to the folder, '/'-separated -> doc id. */
  noteToDoc: Map<string, string>;
  written: number;
  unchanged: number;
  removed: number;
}
