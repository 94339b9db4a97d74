import type { Compensator, ForwardMap } from '../../compat/index.ts';
import { DEFAULT_CUTOFFS, evaluateRun } from '../index.ts';
import type { Qrels, Run } from '../index.ts';
import type { EmbeddingCache, Version } from './embeddings.ts';
import { docKey, type DocHit, type FamilyIndex, type Rescore } from './familyIndex.ts';
import { mergeCalibrated, mergeSegments } from './merge.ts';
import type { Task } from './tasks.ts';
import { appSearch } from './appSearch.ts';
import { PAIRED_SETTINGS, type PairedSetting, type PerQuery } from './differences.ts';
import { APP_SETTINGS, SETTINGS, type Metrics, type SettingName } from './types.ts';

/** How one method searches: its index, the version its queries are embedded with, and the query map. */
export interface MethodView {
  name: string;
  index: FamilyIndex;
  queryVersion: Version;
  /** The map of a query vector into the space of `segment`; undefined leaves it as it is. */
  compensatorFor(segment: string): Compensator | undefined;
  /**
   * The map of a segment's stored vectors into the query's space; when given, the segment is
   * searched with the map's search vector and its candidates are rescored in the query's space.
   */
  forwardFor?(segment: string): ForwardMap | undefined;
}

export interface EvaluationSettings {
  cache: EmbeddingCache;
  depth: number;
  /** Called after each test query, with the queries done so far in the stage and their total. */
  onQuery?: (done: number, total: number) => void;
}

const MAIN_METRIC = 'nDCG@10';

type StageResults = Record<SettingName, Record<string, Record<string, Metrics>>>;
type Runs = Record<SettingName, Run>;

/** One query's searches of one segment, optionally restricted to one task's rows. */
type SegmentSearch = (
  index: FamilyIndex,
  segment: string,
  vector: Float32Array,
  only?: string,
  rescore?: Rescore,
) => Promise<DocHit[]>;

/** Evaluates every method on every seen task's test queries, in every index setting. */
export async function evaluateStage(
  methods: readonly MethodView[],
  tasks: readonly Task[],
  settings: EvaluationSettings,
  signal?: AbortSignal,
): Promise<{ results: StageResults; perQuery: PerQuery }> {
  const byMethod = <T>(value: () => T) =>
    Object.fromEntries(methods.map((method) => [method.name, value()])) as Record<string, T>;
  const results = Object.fromEntries(
    SETTINGS.map((setting) => [setting, byMethod(() => ({}))]),
  ) as StageResults;
  const perQuery = Object.fromEntries(
    PAIRED_SETTINGS.map((setting) => [setting, byMethod(() => ({}))]),
  ) as PerQuery;
  const total = tasks.reduce((sum, task) => sum + task.testQueries.length, 0);
  let done = 0;
  const afterQuery = () => settings.onQuery?.(++done, total);
  for (const task of tasks) {
    const runs = await searchTask(methods, task, settings, afterQuery, signal);
    const qrels = keyedQrels(task);
    methods.forEach((method, m) => {
      for (const setting of SETTINGS) {
        const evaluation = evaluateRun(runs[m]![setting], qrels, { cutoffs: DEFAULT_CUTOFFS });
        results[setting][method.name]![task.key] = evaluation.metrics;
        if ((PAIRED_SETTINGS as readonly string[]).includes(setting))
          perQuery[setting as PairedSetting][method.name]![task.key] = task.testQueries.flatMap(
            (query) => evaluation.perQuery.get(query.id)?.[MAIN_METRIC] ?? [],
          );
      }
    });
  }
  return { results, perQuery };
}

/** Every method's runs for one task, query by query, sharing searches that methods repeat. */
async function searchTask(
  methods: readonly MethodView[],
  task: Task,
  settings: EvaluationSettings,
  afterQuery: () => void,
  signal?: AbortSignal,
): Promise<Runs[]> {
  const texts = task.testQueries.map((query) => query.text);
  const vectors: Float32Array[][] = [];
  for (const method of methods)
    vectors.push(await settings.cache.queries(method.queryVersion, texts, signal));
  const runs = methods.map(() => Object.fromEntries(SETTINGS.map((setting) => [setting, new Map()])) as Runs);
  const apps = methods.map((method) => appSearch(method, settings.cache));
  for (const [i, query] of task.testQueries.entries()) {
    signal?.throwIfAborted();
    const search = sharedSearch(task.key, query.id, settings.depth);
    for (const [m, method] of methods.entries()) {
      await searchQuery(
        method,
        vectors[m]![i]!,
        search,
        { task: task.key, query: query.id, depth: settings.depth },
        runs[m]!,
      );
      for (const setting of APP_SETTINGS) {
        const mode = setting === 'app-dense' ? 'dense' : 'hybrid';
        const found = await apps[m]!(query.text, mode, settings.depth + 1, signal);
        const self = docKey(task.key, query.id);
        runs[m]![setting].set(query.id, found.filter((key) => key !== self).slice(0, settings.depth));
      }
    }
    afterQuery();
  }
  return runs;
}

/** One method's answer to one query in every setting, written into `runs`. */
async function searchQuery(
  method: MethodView,
  vector: Float32Array,
  search: SegmentSearch,
  at: { task: string; query: string; depth: number },
  runs: Runs,
): Promise<void> {
  const segments = method.index.versions().map((version) => {
    const forward = method.forwardFor?.(version);
    return {
      version,
      queryVector: forward?.searchVector(vector) ?? method.compensatorFor(version)?.apply(vector) ?? vector,
      rescore: forward ? rescoreForward(method.index, forward, vector) : undefined,
    };
  });
  const lists = await Promise.all(
    segments.map((s) => search(method.index, s.version, s.queryVector, undefined, s.rescore)),
  );
  // The task's own rows: one segment, or (the app once it keeps anchors) several in one space.
  const own = segments.flatMap((s, j) => (method.index.tasksIn(s.version).includes(at.task) ? [j] : []));
  if (own.length > 0) {
    // A segment of this task alone already is the per-task search.
    const alone = own.length === 1 && method.index.tasksIn(segments[own[0]!]!.version).length === 1;
    const hits = alone
      ? [lists[own[0]!]!]
      : await Promise.all(
          own.map((j) =>
            search(
              method.index,
              segments[j]!.version,
              segments[j]!.queryVector,
              at.task,
              segments[j]!.rescore,
            ),
          ),
        );
    runs['per-task'].set(at.query, mergeSegments(hits, 'score', at.depth));
  }
  runs['mixed-rrf'].set(at.query, mergeSegments(lists, 'rrf', at.depth));
  runs['mixed-score'].set(at.query, mergeSegments(lists, 'score', at.depth));
  const withHits = segments.map((s, j) => ({ ...s, hits: lists[j]! }));
  runs['mixed-calibrated'].set(
    at.query,
    await mergeCalibrated(withHits, (version) => method.index.background(version), at.depth),
  );
}

/**
 * The searches of one query, each run once: methods that share an index and a query vector in a
 * segment (the distilled chain's newest segment, searched uncompensated by all of its methods) get
 * the same hits. As BEIR's evaluation does, a document with the query's own id (ArguAna) is not an
 * answer.
 */
function sharedSearch(taskKey: string, queryId: string, depth: number): SegmentSearch {
  const done = new Map<FamilyIndex, Map<string, Promise<DocHit[]>>>();
  return (index, segment, vector, only, rescore) => {
    const byKey = done.get(index) ?? new Map<string, Promise<DocHit[]>>();
    done.set(index, byKey);
    const key = [
      segment,
      only ?? '',
      rescore ? 'rescored' : '',
      Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64'),
    ].join('\u0000');
    let hits = byKey.get(key);
    if (!hits) {
      hits = index
        .searchDocs(vector, {
          version: segment,
          depth: depth + 1,
          ...(only ? { task: only } : {}),
          ...(rescore ? { rescore } : {}),
        })
        .then((found) => withoutSelf(found, taskKey, queryId, depth));
      byKey.set(key, hits);
    }
    return hits;
  };
}

/** Scores a segment's candidates by the query's cosine with their stored vectors' forward images. */
function rescoreForward(index: FamilyIndex, forward: ForwardMap, query: Float32Array): Rescore {
  return async (chunks, version) => {
    const stored = await index.storedVectors(
      chunks.map((chunk) => chunk.chunkId),
      version,
    );
    const rows = chunks.map((chunk) => ({ id: chunk.chunkId, stored: stored.get(chunk.chunkId)! }));
    const scores = forward.scoreCandidates(query, rows);
    return chunks.map((chunk, i) => ({ ...chunk, score: scores[i]! })).sort((a, b) => b.score - a.score);
  };
}

/** `hits` without the query's own document, at most `depth` of them. */
function withoutSelf(hits: DocHit[], taskKey: string, queryId: string, depth: number): DocHit[] {
  const self = docKey(taskKey, queryId);
  return hits.filter((hit) => hit.key !== self).slice(0, depth);
}

/** The task's test judgements with document ids made unique across tasks. */
export function keyedQrels(task: Task): Qrels {
  return new Map(
    [...task.testQrels].map(([queryId, judged]) => [
      queryId,
      new Map([...judged].map(([docId, grade]) => [docKey(task.key, docId), grade])),
    ]),
  );
}
