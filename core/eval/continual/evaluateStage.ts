import type { Compensator } from '../../compat/index.ts';
import { DEFAULT_CUTOFFS, evaluateRun } from '../index.ts';
import type { Qrels, Run } from '../index.ts';
import type { EmbeddingCache, Version } from './embeddings.ts';
import { docKey, type DocHit, type FamilyIndex } from './familyIndex.ts';
import { mergeCalibrated, mergeSegments } from './merge.ts';
import type { Task } from './tasks.ts';
import type { Metrics, SettingName } from './types.ts';

/** How one method searches: its index, the version its queries are embedded with, and the query map. */
export interface MethodView {
  name: string;
  index: FamilyIndex;
  queryVersion: Version;
  /** The map of a query vector into the space of `segment`; undefined leaves it as it is. */
  compensatorFor(segment: string): Compensator | undefined;
}

type StageResults = Record<SettingName, Record<string, Record<string, Metrics>>>;

/** Evaluates every method on every seen task's test queries, in every index setting. */
export async function evaluateStage(
  methods: readonly MethodView[],
  tasks: readonly Task[],
  settings: { cache: EmbeddingCache; depth: number },
  signal?: AbortSignal,
): Promise<StageResults> {
  const results: StageResults = {
    'per-task': {},
    'mixed-rrf': {},
    'mixed-score': {},
    'mixed-calibrated': {},
  };
  for (const method of methods) {
    for (const setting of Object.keys(results) as SettingName[]) results[setting][method.name] = {};
    for (const task of tasks) {
      const runs = await searchTask(method, task, settings, signal);
      const qrels = keyedQrels(task);
      for (const [setting, run] of Object.entries(runs) as Array<[SettingName, Run]>) {
        results[setting][method.name]![task.key] = evaluateRun(run, qrels, {
          cutoffs: DEFAULT_CUTOFFS,
        }).metrics;
      }
    }
  }
  return results;
}

async function searchTask(
  method: MethodView,
  task: Task,
  settings: { cache: EmbeddingCache; depth: number },
  signal?: AbortSignal,
): Promise<Record<SettingName, Run>> {
  const texts = task.testQueries.map((query) => query.text);
  const vectors = await settings.cache.queries(method.queryVersion, texts, signal);
  const runs: Record<SettingName, Run> = {
    'per-task': new Map(),
    'mixed-rrf': new Map(),
    'mixed-score': new Map(),
    'mixed-calibrated': new Map(),
  };
  const own = method.index.versionOf(task.key);
  const segments = method.index.versions();
  for (const [i, query] of task.testQueries.entries()) {
    const inSpace = (segment: string) => method.compensatorFor(segment)?.apply(vectors[i]!) ?? vectors[i]!;
    // As BEIR's evaluation does: a document with the query's own id (ArguAna) is not an answer.
    const search = async (segment: string, only?: string) =>
      withoutSelf(
        await method.index.searchDocs(inSpace(segment), {
          version: segment,
          depth: settings.depth + 1,
          ...(only ? { task: only } : {}),
        }),
        task.key,
        query.id,
        settings.depth,
      );
    const lists = new Map<string, DocHit[]>();
    for (const segment of segments) lists.set(segment, await search(segment));
    const withQueries = segments.map((segment) => ({
      version: segment,
      queryVector: inSpace(segment),
      hits: lists.get(segment)!,
    }));
    if (own !== undefined) {
      // A segment of this task alone already is the per-task search.
      const alone = method.index.tasksIn(own).length === 1 ? lists.get(own) : undefined;
      const hits = alone ?? (await search(own, task.key));
      runs['per-task'].set(
        query.id,
        hits.map((hit) => hit.key),
      );
    }
    runs['mixed-rrf'].set(query.id, mergeSegments([...lists.values()], 'rrf', settings.depth));
    runs['mixed-score'].set(query.id, mergeSegments([...lists.values()], 'score', settings.depth));
    runs['mixed-calibrated'].set(
      query.id,
      await mergeCalibrated(withQueries, (version) => method.index.background(version), settings.depth),
    );
  }
  return runs;
}

/** `hits` without the query's own document, at most `depth` of them. */
function withoutSelf(hits: DocHit[], taskKey: string, queryId: string, depth: number): DocHit[] {
  const self = docKey(taskKey, queryId);
  return hits.filter((hit) => hit.key !== self).slice(0, depth);
}

/** The task's test judgements with document ids made unique across tasks. */
function keyedQrels(task: Task): Qrels {
  return new Map(
    [...task.testQrels].map(([queryId, judged]) => [
      queryId,
      new Map([...judged].map(([docId, grade]) => [docKey(task.key, docId), grade])),
    ]),
  );
}
