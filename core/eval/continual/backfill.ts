import path from 'node:path';
import { rm } from 'node:fs/promises';
import { DEFAULT_CUTOFFS, evaluateRun } from '../index.ts';
import { current, type Chain } from './chains.ts';
import type { ChunkedCorpus } from './corpus.ts';
import type { EmbeddingCache } from './embeddings.ts';
import { appSearch } from './appSearch.ts';
import { keyedQrels, type MethodView } from './evaluateStage.ts';
import { docKey, FamilyIndex } from './familyIndex.ts';
import type { Task } from './tasks.ts';
import { APP_SETTINGS, type Metrics } from './types.ts';

/** Shares of the older versions' rows re-embedded in the middle of a backfill. */
export const BACKFILL_FRACTIONS = [0.25, 0.5, 0.75, 1] as const;

/** One point of a backfill curve: the app's search quality per task with `fraction` re-embedded. */
export interface BackfillPoint {
  fraction: number;
  results: Record<(typeof APP_SETTINGS)[number], Record<string, Metrics>>;
}

/**
 * The app's search over the chain's index part-way through a backfill: `fraction` of all rows in
 * the newest version (rows already there, such as kept anchors, first; then older rows by note, in
 * the app's backfill order; a benchmark has no retrieval counts, so that is index order), the rest
 * as stored and read through `method`'s maps. Each point is a scratch copy of the index; the
 * chain's own is never touched.
 */
export async function backfillCurve(
  method: MethodView,
  chain: Chain,
  seen: { tasks: readonly Task[]; corpora: readonly ChunkedCorpus[] },
  settings: { cache: EmbeddingCache; depth: number; workDir: string; dimensions: number },
  signal?: AbortSignal,
): Promise<BackfillPoint[]> {
  const points: BackfillPoint[] = [];
  for (const fraction of BACKFILL_FRACTIONS) {
    const dir = path.join(settings.workDir, 'index', `backfill-${fraction}`);
    const index = await FamilyIndex.open(dir, settings.dimensions);
    try {
      await writeBackfilled(index, chain, seen.corpora, fraction, settings.cache, signal);
      const view: MethodView = { ...method, index };
      points.push({ fraction, results: await evaluateApp(view, seen.tasks, settings, signal) });
    } finally {
      await index.close();
      await rm(dir, { recursive: true, force: true });
    }
  }
  return points;
}

async function writeBackfilled(
  index: FamilyIndex,
  chain: Chain,
  corpora: readonly ChunkedCorpus[],
  fraction: number,
  cache: EmbeddingCache,
  signal?: AbortSignal,
): Promise<void> {
  const newest = current(chain);
  const rowVersions = (corpus: ChunkedCorpus) => chain.index.rowVersionsOf(corpus.folderId);
  const total = corpora.reduce((sum, corpus) => sum + corpus.chunks.length, 0);
  const already = corpora.reduce(
    (sum, corpus) => sum + rowVersions(corpus).filter((v) => v === newest.label).length,
    0,
  );
  let budget = Math.round(total * fraction) - already;
  for (const corpus of corpora) {
    const stored = rowVersions(corpus);
    const texts = corpus.chunks.map((chunk) => chunk.embeddingText);
    const vectorsOf = new Map<string, Float32Array[]>();
    for (const label of new Set([...stored, newest.label])) {
      const version = chain.versions.find((v) => v.label === label)!;
      vectorsOf.set(label, (await cache.documents(version, texts, signal)).vectors);
    }
    const versions: string[] = [];
    const vectors: Float32Array[] = [];
    const backfilled = new Set<string>();
    corpus.chunks.forEach((chunk, i) => {
      // Whole notes, as the app's backfill rewrites a note at a time.
      const isNew = stored[i] === newest.label;
      if (!isNew && !backfilled.has(chunk.notePath) && budget > 0 && chunk.ordinal === 0)
        backfilled.add(chunk.notePath);
      const fromNew = isNew || backfilled.has(chunk.notePath);
      if (fromNew && !isNew) budget--;
      const label = fromNew ? newest.label : stored[i]!;
      versions.push(label);
      vectors.push(vectorsOf.get(label)![i]!);
    });
    await index.addMixed(corpus, versions, vectors);
  }
}

async function evaluateApp(
  method: MethodView,
  tasks: readonly Task[],
  settings: { cache: EmbeddingCache; depth: number },
  signal?: AbortSignal,
): Promise<BackfillPoint['results']> {
  const search = appSearch(method, settings.cache);
  const results = { 'app-dense': {}, 'app-hybrid': {} } as BackfillPoint['results'];
  for (const task of tasks) {
    for (const setting of APP_SETTINGS) {
      const run = new Map<string, string[]>();
      for (const query of task.testQueries) {
        const found = await search(
          query.text,
          setting === 'app-dense' ? 'dense' : 'hybrid',
          settings.depth + 1,
          signal,
        );
        const self = docKey(task.key, query.id);
        run.set(query.id, found.filter((key) => key !== self).slice(0, settings.depth));
      }
      results[setting][task.key] = evaluateRun(run, keyedQrels(task), { cutoffs: DEFAULT_CUTOFFS }).metrics;
    }
  }
  return results;
}
