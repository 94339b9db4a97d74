import { access } from 'node:fs/promises';
import path from 'node:path';
import { readBeirDataset, splitQueries, unitHash } from '../index.ts';
import type { BeirDataset, BeirDoc, BeirQuery, Qrels } from '../index.ts';
import type { SampleOptions, TrainSource } from './types.ts';

/** One task of the sequence: a (possibly sampled) corpus, its training and test queries and judgements. */
export interface Task {
  /** Unique in the run: `t<position>-<folder name>`. */
  key: string;
  name: string;
  dir: string;
  docs: BeirDoc[];
  trainQueries: BeirQuery[];
  testQueries: BeirQuery[];
  trainQrels: Qrels;
  testQrels: Qrels;
  trainSource: TrainSource;
  /** Relevance judgements on documents the sample left out (0 without a document cap). */
  droppedJudgements: number;
}

/** Splits tried, in order, for training queries; without any, the test queries are split by id hash. */
const TRAIN_SPLITS = ['train', 'dev'];
const HASH_TEST_RATIO = 0.5;
/** With a document cap, at most this share of the sampled corpus is documents relevant to kept queries. */
const RELEVANT_SHARE = 2 / 3;

/**
 * Reads one dataset as a task: test judgements from the `test` split; training judgements from
 * `train`, else `dev`, else a deterministic hash split of the test queries (half each way). With
 * sample caps, queries are taken by smallest seeded hash of their id; the corpus keeps documents
 * relevant to them (all of them when they fit in two thirds of `maxDocs`, else a round-robin share)
 * plus a hash-chosen rest up to `maxDocs`, and judgements on left-out documents are dropped (and
 * counted).
 */
export async function loadTask(
  dir: string,
  position: number,
  sample: SampleOptions,
  seed: number,
  signal?: AbortSignal,
): Promise<Task> {
  const name = path.basename(path.resolve(dir));
  const test = await readBeirDataset(dir, { split: 'test', unknownIds: 'drop' }, signal);
  const { trainQrels, testQrels, trainSource } = await trainingJudgements(dir, test, seed, signal);
  const byId = new Map(test.queries.map((query) => [query.id, query]));
  const pick = (qrels: Qrels, cap: number | undefined, salt: string): BeirQuery[] =>
    bySeededHash(
      [...qrels.keys()].filter((id) => hasRelevant(qrels, id)),
      `${seed}/${salt}`,
      cap,
    )
      .map((id) => byId.get(id))
      .filter((query): query is BeirQuery => query !== undefined);
  const testQueries = pick(testQrels, sample.maxTestQueries, 'test');
  const trainQueries = pick(trainQrels, sample.maxTrainQueries, 'train');
  const judged = [
    ...testQueries.map((q) => testQrels.get(q.id)!),
    ...trainQueries.map((q) => trainQrels.get(q.id)!),
  ];
  const relevant = relevantWithinBudget(judged, sample.maxDocs, seed);
  const docs = sampleDocs(test.corpus, relevant, sample.maxDocs, seed);
  const kept = new Set(docs.map((doc) => doc.id));
  const restricted = {
    train: restrict(trainQrels, trainQueries, kept),
    test: restrict(testQrels, testQueries, kept),
  };
  return {
    key: `t${position + 1}-${name}`,
    name,
    dir,
    docs,
    trainQueries: trainQueries.filter((query) => restricted.train.has(query.id)),
    testQueries: testQueries.filter((query) => restricted.test.has(query.id)),
    trainQrels: restricted.train,
    testQrels: restricted.test,
    trainSource,
    droppedJudgements:
      countRelevant(judged) - countRelevant([...restricted.train.values(), ...restricted.test.values()]),
  };
}

async function trainingJudgements(
  dir: string,
  test: BeirDataset,
  seed: number,
  signal?: AbortSignal,
): Promise<{ trainQrels: Qrels; testQrels: Qrels; trainSource: TrainSource }> {
  for (const split of TRAIN_SPLITS) {
    if (!(await exists(path.join(dir, 'qrels', `${split}.tsv`)))) continue;
    const train = await readBeirDataset(dir, { split, unknownIds: 'drop' }, signal);
    return { trainQrels: train.qrels, testQrels: test.qrels, trainSource: { kind: 'split', split } };
  }
  const hashSeed = `continual-${seed}`;
  const halves = splitQueries(test.qrels.keys(), { testRatio: HASH_TEST_RATIO, seed: hashSeed });
  const pick = (ids: string[]): Qrels => new Map(ids.map((id) => [id, test.qrels.get(id)!]));
  return {
    trainQrels: pick(halves.train),
    testQrels: pick(halves.test),
    trainSource: { kind: 'hash', split: 'test', testRatio: HASH_TEST_RATIO, seed: hashSeed },
  };
}

/**
 * The documents relevant to the kept queries, at most `share` of `maxDocs`: handed out round-robin
 * (each query's first relevant document, then each one's second, ...), so every query keeps at
 * least one while the budget lasts, even on NFCorpus where a query may have hundreds.
 */
function relevantWithinBudget(
  judged: ReadonlyArray<ReadonlyMap<string, number>>,
  maxDocs: number | undefined,
  seed: number,
): Set<string> {
  const lists = judged.map((grades) =>
    bySeededHash(
      [...grades].filter(([, grade]) => grade > 0).map(([id]) => id),
      `${seed}/relevant`,
    ),
  );
  const budget = maxDocs === undefined ? Infinity : Math.floor(maxDocs * RELEVANT_SHARE);
  const chosen = new Set<string>();
  const longest = Math.max(0, ...lists.map((list) => list.length));
  for (let round = 0; round < longest; round++) {
    for (const list of lists) {
      const id = list[round];
      if (id === undefined || chosen.has(id)) continue;
      if (chosen.size >= budget) return chosen;
      chosen.add(id);
    }
  }
  return chosen;
}

function countRelevant(judged: ReadonlyArray<ReadonlyMap<string, number>>): number {
  return judged.reduce((sum, grades) => sum + [...grades.values()].filter((grade) => grade > 0).length, 0);
}

/** Ids ordered by a seeded hash (independent of file order), first `cap`. */
function bySeededHash(ids: readonly string[], salt: string, cap?: number): string[] {
  const ordered = [...ids].sort(
    (a, b) => unitHash(`${salt}\n${a}`) - unitHash(`${salt}\n${b}`) || (a < b ? -1 : 1),
  );
  return cap === undefined ? ordered : ordered.slice(0, cap);
}

function sampleDocs(
  corpus: readonly BeirDoc[],
  relevant: ReadonlySet<string>,
  maxDocs: number | undefined,
  seed: number,
): BeirDoc[] {
  if (maxDocs === undefined || corpus.length <= maxDocs) return [...corpus];
  const rest = bySeededHash(
    corpus.map((doc) => doc.id).filter((id) => !relevant.has(id)),
    `${seed}/docs`,
    Math.max(0, maxDocs - relevant.size),
  );
  const kept = new Set([...relevant, ...rest]);
  return corpus.filter((doc) => kept.has(doc.id));
}

function hasRelevant(qrels: Qrels, id: string): boolean {
  return [...(qrels.get(id)?.values() ?? [])].some((grade) => grade > 0);
}

/** The judgements of the given queries on kept documents; a query left without a relevant one is dropped. */
function restrict(qrels: Qrels, queries: readonly BeirQuery[], kept: ReadonlySet<string>): Qrels {
  const out: Qrels = new Map();
  for (const query of queries) {
    const grades = new Map([...(qrels.get(query.id) ?? [])].filter(([id]) => kept.has(id)));
    if ([...grades.values()].some((grade) => grade > 0)) out.set(query.id, grades);
  }
  return out;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
