import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TrainedCandidate } from '../../adapt/index.ts';
import { throwIfAborted, type ProgressListener } from '../../base/index.ts';
import { metricNames } from '../index.ts';
import { current, trainChain, type Chain } from './chains.ts';
import { CompensatorChains, fitForwardMaps, fitStage } from './compensation.ts';
import type { ForwardMap } from '../../compat/index.ts';
import { chunkCorpus, type ChunkedCorpus } from './corpus.ts';
import { addCost, measure, ZERO_COST } from './cost.ts';
import { EmbeddingCache, type Version } from './embeddings.ts';
import { AppChain } from './appChain.ts';
import { backfillCurve } from './backfill.ts';
import { evaluateStage, type MethodView } from './evaluateStage.ts';
import { FamilyIndex } from './familyIndex.ts';
import { taskPairs, type PairSettings, type PairSource } from './pairs.ts';
import { shownResults } from './appSearch.ts';
import { summarise } from './summary.ts';
import { pairedDifferences } from './differences.ts';
import { loadTask, type Task } from './tasks.ts';
import { APP_METHOD, FORWARD_METHOD, SETTINGS } from './types.ts';
import type {
  AppSetting,
  ContinualDeps,
  ContinualOptions,
  ContinualReport,
  Cost,
  StageCosts,
  StageResult,
  TaskInfo,
} from './types.ts';

/** Work units per stage for progress: index, three trainings, fitting, reindexing, evaluation. */
export const UNITS_PER_STAGE = 7;
const MAX_PASSAGE_CHARS = 1500;

interface RunState {
  options: ContinualOptions;
  deps: ContinualDeps;
  cache: EmbeddingCache;
  chains: { frozen: Chain; ft: Chain; kd: Chain; app: Chain };
  /** The app's default method: forward maps and the app's gate over its own chain. */
  app: AppChain;
  compensators: CompensatorChains;
  /** Direct maps of every older ft+kd segment's stored vectors into the newest version's space. */
  forward: Map<string, ForwardMap>;
  candidates: TrainedCandidate[];
  tasks: Task[];
  corpora: ChunkedCorpus[];
  infos: TaskInfo[];
  done: number;
  total: number;
}

/**
 * Runs the continual-retrieval protocol over a sequence of BEIR tasks: at each task the new corpus is
 * indexed with each chain's current version, the trainable chains (ft: no distillation; ft+kd:
 * lq = ld = 1) continue training on the task's pairs, compensators of every kind are fitted for the
 * ft+kd step, every seen corpus is re-embedded with the newest ft+kd version (the costly reference),
 * and every method is evaluated on every seen task, per task and in one mixed index.
 */
export async function runContinual(
  options: ContinualOptions,
  deps: ContinualDeps,
  signal?: AbortSignal,
): Promise<ContinualReport> {
  const started = performance.now();
  const state = await prepare(options, deps, signal);
  try {
    const stages: StageResult[] = [];
    for (let i = 0; i < state.tasks.length; i++) {
      stages.push(await runStage(state, i, signal));
      if (i < state.tasks.length - 1)
        await deps.onStage?.(buildReport(state, [...stages], performance.now() - started));
    }
    return buildReport(state, stages, performance.now() - started);
  } finally {
    await Promise.all(state.candidates.map((candidate) => candidate.close()));
    await Promise.all(Object.values(state.chains).map((chain) => chain.index.close()));
  }
}

async function prepare(
  options: ContinualOptions,
  deps: ContinualDeps,
  signal?: AbortSignal,
): Promise<RunState> {
  const tasks: Task[] = [];
  for (const [i, dir] of options.datasets.entries())
    tasks.push(await loadTask(dir, i, options.sample, options.seed, signal));
  const corpora = tasks.map((task) => chunkCorpus(task.key, task.docs, deps.base));
  await mkdir(options.workDir, { recursive: true });
  const open = (name: string) =>
    FamilyIndex.open(path.join(options.workDir, 'index', name), deps.base.dimensions);
  const v0: Version = { label: 'v0', encoder: deps.base };
  const chains = {
    frozen: { name: 'frozen', index: await open('frozen'), versions: [v0], prefix: 'frozen' },
    ft: {
      name: 'ft',
      index: await open('ft'),
      versions: [v0],
      distill: { lq: 0, ld: 0, lc: 0 },
      prefix: 'ft',
    },
    kd: {
      name: 'ft+kd',
      index: await open('ft-kd'),
      versions: [v0],
      distill: { lq: 1, ld: 1, lc: 0 },
      prefix: 'kd',
    },
    app: { name: 'app', index: await open('app'), versions: [v0], prefix: 'app' },
  };
  const infos = tasks.map((task, i) => taskInfo(task, corpora[i]!));
  return {
    options,
    deps,
    cache: new EmbeddingCache(),
    chains,
    app: new AppChain(chains.app),
    compensators: new CompensatorChains(),
    forward: new Map(),
    candidates: [],
    tasks,
    corpora,
    infos,
    done: 0,
    total: tasks.length * UNITS_PER_STAGE,
  };
}

async function runStage(state: RunState, i: number, signal?: AbortSignal): Promise<StageResult> {
  const task = state.tasks[i]!;
  const stage = i + 1;
  /** Starts a unit of work; the returned function reports how far into it the run is. */
  const step = (detail: string) => {
    throwIfAborted(signal);
    const at = state.done++;
    const within = (fraction: number, more = '') =>
      state.deps.onProgress?.({
        phase: 'continual',
        done: at + fraction,
        total: state.total,
        detail: `task ${stage}: ${detail}${more}`,
      });
    within(0);
    return within;
  };
  step('indexing');
  const indexing = await indexTask(state, i, signal);
  const training: StageCosts['training'] = {};
  for (const chain of [state.chains.ft, state.chains.kd]) {
    const within = step(`training ${chain.name}`);
    training[chain.name] = await trainStage(state, chain, i, trainingProgress(within), signal);
  }
  const appStep = await appStage(state, i, trainingProgress(step('training app (gated)')), signal);
  training.app = appStep.cost;
  step('fitting compensators');
  const kd = state.chains.kd.versions;
  const fit = await fitStage(
    task,
    state.corpora[i]!,
    { previous: kd.at(-2)!, next: kd.at(-1)! },
    {
      kinds: state.options.kinds,
      fitDocs: state.options.fitDocs,
      seed: state.options.seed + stage,
      cache: state.cache,
    },
    signal,
  );
  for (const [kind, compensator] of fit.fitted) state.compensators.add(kind, compensator);
  const forward = await fitForwardMaps(
    state.chains.kd,
    state.corpora.slice(0, stage),
    { fitDocs: state.options.fitDocs, seed: state.options.seed + stage, cache: state.cache },
    signal,
  );
  state.forward = forward.maps;
  step('re-embedding every seen corpus');
  const reindexed = await reindex(state, i, signal);
  try {
    const within = step('evaluating');
    const seen = state.tasks.slice(0, stage);
    const { value: evaluated, cost: evaluation } = await measure(() =>
      evaluateStage(
        methodViews(state, reindexed.index),
        seen,
        {
          cache: state.cache,
          depth: state.options.depth,
          onQuery: (done, total) => within(done / total, `, ${done}/${total} queries`),
        },
        signal,
      ),
    );
    const views = methodViews(state, reindexed.index);
    const { value: points, cost: backfillCost } = await measure(() =>
      backfillCurve(
        views.find((view) => view.name === APP_METHOD)!,
        state.chains.app,
        { tasks: seen, corpora: state.corpora.slice(0, stage) },
        {
          cache: state.cache,
          depth: state.options.depth,
          workDir: state.options.workDir,
          dimensions: state.deps.base.dimensions,
        },
        signal,
      ),
    );
    const { results, perQuery } = evaluated;
    const backfill = backfillResults(results, points);
    const indexBytes: Record<string, number> = {};
    for (const chain of Object.values(state.chains)) indexBytes[chain.name] = await chain.index.bytesOnDisk();
    indexBytes.reindex = await reindexed.index.bytesOnDisk();
    const costs: StageCosts = {
      indexing,
      training,
      fitEmbedding: fit.embedding,
      fitting: fit.fitting,
      forwardFit: forward.cost,
      backfill: backfillCost,
      reindex: reindexed.cost,
      evaluation: { ...evaluation, queries: seen.reduce((n, t) => n + t.testQueries.length, 0) },
      indexBytes,
    };
    state.done = stage * UNITS_PER_STAGE;
    state.deps.onProgress?.({
      phase: 'continual',
      done: state.done,
      total: state.total,
      detail: `task ${stage} done`,
    });
    return { stage, task: task.key, results, perQuery, backfill, app: appStep.verdict, costs };
  } finally {
    await reindexed.index.close();
    await rm(reindexed.dir, { recursive: true, force: true });
  }
}

async function indexTask(state: RunState, i: number, signal?: AbortSignal): Promise<StageCosts['indexing']> {
  const corpus = state.corpora[i]!;
  const texts = corpus.chunks.map((chunk) => chunk.embeddingText);
  const out: StageCosts['indexing'] = {};
  for (const chain of Object.values(state.chains)) {
    const version = current(chain);
    const { value, cost } = await measure(async () => {
      const embedded = await state.cache.documents(version, texts, signal);
      await chain.index.add(corpus, version.label, embedded.vectors);
      return embedded.computed;
    });
    out[chain.name] = { ...cost, chunks: texts.length, cached: texts.length - value };
  }
  return out;
}

/** Turns the trainer's step reports into progress within the training unit. */
function trainingProgress(within: (fraction: number, more?: string) => void): ProgressListener {
  return (progress) => {
    if (!progress.total) return;
    const loss = progress.detail?.startsWith('loss') ? ` (${progress.detail})` : '';
    within(progress.done / progress.total, `, step ${progress.done}/${progress.total}${loss}`);
  };
}

async function trainStage(
  state: RunState,
  chain: Chain,
  i: number,
  onProgress: ProgressListener,
  signal?: AbortSignal,
) {
  const { options, deps } = state;
  const stage = i + 1;
  const pairs = await taskPairs(
    state.tasks[i]!,
    { corpus: state.corpora[i]!, corpora: state.corpora.slice(0, stage) },
    pairSource(state, chain),
    pairSettings(options, stage),
    signal,
  );
  if (chain === state.chains.kd)
    state.infos[i]!.pairs = { qrels: pairs.queries.length, selfSupervised: pairs.selfSupervised.length };
  const trained = await trainChain(
    chain,
    deps.trainer,
    {
      pairs: [...pairs.queries, ...pairs.selfSupervised],
      options: { ...options.train, ...chain.distill!, seed: options.seed + stage },
      workDir: options.workDir,
      stage,
    },
    onProgress,
    signal,
  );
  state.candidates.push(trained.candidate);
  return trained.cost;
}

/** The app's own chain: train without its held-out queries, fit forward maps, gate, adopt or drop. */
async function appStage(state: RunState, i: number, onProgress: ProgressListener, signal?: AbortSignal) {
  const { options, deps } = state;
  const stage = i + 1;
  const { trained, verdict } = await state.app.stage(
    state.tasks[i]!,
    state.corpora[i]!,
    state.corpora.slice(0, stage),
    {
      trainer: deps.trainer,
      train: { ...options.train, lq: 1, ld: 1, seed: options.seed + stage },
      pairs: pairSettings(options, stage),
      fitDocs: options.fitDocs,
      cache: state.cache,
      workDir: options.workDir,
      stage,
    },
    onProgress,
    signal,
  );
  state.candidates.push(trained.candidate);
  return { cost: trained.cost, verdict };
}

/** How a stage's pairs are built, the same for every chain. */
function pairSettings(options: ContinualOptions, stage: number): PairSettings {
  return {
    signals: options.signals,
    negativesPerPair: options.train.negativesPerPair,
    selfSupervisedPairs: options.selfSupervisedPairs,
    maxPassageChars: MAX_PASSAGE_CHARS,
    seed: options.seed + stage,
  };
}

/** A trained chain as a source of pairs: a simulated user sees the app's search over its index as is. */
function pairSource(state: RunState, chain: Chain): PairSource {
  const version = current(chain);
  const view: MethodView = {
    name: chain.name,
    index: chain.index,
    queryVersion: version,
    compensatorFor: () => undefined,
  };
  return { version, index: chain.index, cache: state.cache, search: shownResults(view, state.cache) };
}

/** A fresh index of every seen corpus embedded with the newest ft+kd version, without the cache. */
async function reindex(state: RunState, i: number, signal?: AbortSignal) {
  const dir = path.join(state.options.workDir, 'index', `reindex-${i + 1}`);
  const index = await FamilyIndex.open(dir, state.deps.base.dimensions);
  const newest = current(state.chains.kd);
  let chunks = 0;
  const { cost } = await measure(async () => {
    for (const corpus of state.corpora.slice(0, i + 1)) {
      const vectors = await newest.encoder.embedDocuments(
        corpus.chunks.map((chunk) => chunk.embeddingText),
        signal,
      );
      await index.add(corpus, newest.label, vectors);
      chunks += corpus.chunks.length;
    }
  });
  return { dir, index, cost: { ...cost, chunks } };
}

function methodViews(state: RunState, reindexed: FamilyIndex): MethodView[] {
  const { frozen, ft, kd } = state.chains;
  const plain = (name: string, chain: Chain, index = chain.index): MethodView => ({
    name,
    index,
    queryVersion: current(chain),
    compensatorFor: () => undefined,
  });
  const compensated = state.options.kinds.map(
    (kind): MethodView => ({
      name: `ft+kd+${kind}`,
      index: kd.index,
      queryVersion: current(kd),
      compensatorFor: (segment) => state.compensators.toVersion(kind, segment),
    }),
  );
  const forward: MethodView = {
    ...plain(FORWARD_METHOD, kd),
    forwardFor: (segment) => state.forward.get(segment),
  };
  return [
    plain('frozen', frozen),
    plain('ft', ft),
    plain('ft+kd', kd),
    ...compensated,
    forward,
    { ...state.app.view(), name: APP_METHOD },
    plain('reindex', kd, reindexed),
  ];
}

/** The app's backfill curve, from its own results (0) to every row in its current version (1). */
function backfillResults(
  results: StageResult['results'],
  points: Awaited<ReturnType<typeof backfillCurve>>,
): StageResult['backfill'] {
  const curve = (setting: AppSetting) => [
    { fraction: 0, results: results[setting][APP_METHOD]! },
    ...points.map((point) => ({ fraction: point.fraction, results: point.results[setting] })),
  ];
  return { 'app-dense': curve('app-dense'), 'app-hybrid': curve('app-hybrid') };
}

/** The method names of a run, in report order. */
export function methodNames(kinds: readonly string[]): string[] {
  return [
    'frozen',
    'ft',
    'ft+kd',
    ...kinds.map((kind) => `ft+kd+${kind}`),
    FORWARD_METHOD,
    APP_METHOD,
    'reindex',
  ];
}

function taskInfo(task: Task, corpus: ChunkedCorpus): TaskInfo {
  return {
    key: task.key,
    name: task.name,
    // The folder's name only: a committed report names no path of the machine it ran on.
    dir: path.basename(task.dir),
    docs: task.docs.length,
    chunks: corpus.chunks.length,
    trainQueries: task.trainQueries.length,
    testQueries: task.testQueries.length,
    trainSource: task.trainSource,
    droppedJudgements: task.droppedJudgements,
    pairs: { qrels: 0, selfSupervised: 0 },
  };
}

function buildReport(state: RunState, stages: StageResult[], wallMs: number): ContinualReport {
  const { options, deps } = state;
  const methods = methodNames(options.kinds);
  const sum = (pick: (costs: StageCosts) => Cost | undefined) =>
    stages.reduce((total, stage) => addCost(total, strip(pick(stage.costs))), ZERO_COST);
  const byKey = (keys: readonly string[], pick: (costs: StageCosts, key: string) => Cost | undefined) =>
    Object.fromEntries(keys.map((key) => [key, sum((costs) => pick(costs, key))]));
  return {
    format: 'driftless-continual-report',
    formatVersion: 1,
    config: {
      mode: options.mode,
      seed: options.seed,
      datasets: options.datasets.map((dir) => path.basename(path.resolve(dir))),
      sample: options.sample,
      train: options.train,
      kinds: [...options.kinds],
      signals: options.signals,
      selfSupervisedPairs: options.selfSupervisedPairs,
      fitDocs: options.fitDocs,
      depth: options.depth,
      metrics: metricNames(),
    },
    encoder: { backboneId: deps.base.backboneId, dimensions: deps.base.dimensions },
    methods,
    settings: [...SETTINGS],
    tasks: state.infos,
    stages,
    summary: summarise(stages, methods),
    differences: pairedDifferences(stages, options.seed),
    totals: {
      trainingMs: byKey(['ft', 'ft+kd', 'app'], (costs, key) => costs.training[key]),
      fittingMs: byKey(options.kinds, (costs, key) => costs.fitting[key]),
      fitEmbeddingMs: sum((costs) => costs.fitEmbedding),
      forwardFitMs: sum((costs) => costs.forwardFit),
      backfillMs: sum((costs) => costs.backfill),
      reindexMs: sum((costs) => costs.reindex),
      evaluationMs: sum((costs) => costs.evaluation),
      wallMs,
    },
    environment: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: os.availableParallelism(),
    },
  };
}

function strip(cost: Cost | undefined): Cost {
  return cost ? { wallMs: cost.wallMs, cpuMs: cost.cpuMs } : ZERO_COST;
}
