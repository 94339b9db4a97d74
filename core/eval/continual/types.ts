import type { EncoderTrainer, TrainOptions } from '../../adapt/index.ts';
import type { FittedKind } from '../../compat/index.ts';
import type { Encoder } from '../../encoder/index.ts';
import type { ProgressListener } from '../../base/index.ts';
import type { PairedDifference, PerQuery } from './differences.ts';
import type { SignalSetting } from './pairs.ts';

/** How a task's training queries were chosen; stated in the report. */
export type TrainSource =
  | { kind: 'split'; split: string }
  | { kind: 'hash'; split: string; testRatio: number; seed: string };

/** Caps that make a run small; absent fields mean "everything". */
export interface SampleOptions {
  /** Documents per corpus (every document relevant to a sampled query is kept). */
  maxDocs?: number;
  maxTrainQueries?: number;
  maxTestQueries?: number;
}

export interface ContinualOptions {
  /** Dataset folders in BEIR layout, in task order. */
  datasets: readonly string[];
  seed: number;
  /** 'quick' or 'full': only a label in the report; the caps and steps below decide the work. */
  mode: 'quick' | 'full';
  sample: SampleOptions;
  /**
   * Training settings shared by the trained chains; lq/ld are set per chain, and `lc` (the
   * compatibility weight) applies to the app's chain only, so ft+kd stays the reference.
   */
  train: Omit<TrainOptions, 'lq' | 'ld' | 'seed'>;
  /** Compensator kinds, each one method `ft+kd+<kind>`. */
  kinds: readonly FittedKind[];
  /** What the chains train on: judged queries, self-supervised pairs alone, or simulated clicks. */
  signals: SignalSetting;
  /** The app's self-supervised pairs (heading, title, sentence, crop) per task at most. */
  selfSupervisedPairs: number;
  /** Documents (first chunks) of a task added to its training queries when fitting compensators. */
  fitDocs: number;
  /** Documents ranked per query (Recall@100 needs 100). */
  depth: number;
  /** Scratch folder for indexes and checkpoints; removed by the caller. */
  workDir: string;
}

/** What a run needs besides options: the pretrained encoder (v0) and a trainer for it. */
export interface ContinualDeps {
  base: Encoder;
  trainer: EncoderTrainer;
  onProgress?: ProgressListener;
  /** Called with the report so far after every stage but the last, so a long run leaves results. */
  onStage?: (partial: ContinualReport) => Promise<void>;
}

/** Metric means, keyed 'nDCG@10', 'Recall@10', 'Recall@100', 'MRR@10'. */
export type Metrics = Record<string, number>;

/** Where queries were searched and how version segments were merged. */
export type SettingName =
  | 'per-task'
  | 'mixed-rrf'
  | 'mixed-score'
  | 'mixed-calibrated'
  | 'app-dense'
  | 'app-hybrid';
export const SETTINGS: readonly SettingName[] = [
  'per-task',
  'mixed-rrf',
  'mixed-score',
  'mixed-calibrated',
  'app-dense',
  'app-hybrid',
];
/** Old segments' stored vectors mapped forward into the newest space, scored there (core/compat). */
export const FORWARD_METHOD = 'ft+kd+forward';

/** The app as it ships: its own gated chain, read through forward maps (see appChain.ts). */
export const APP_METHOD = 'app';

/** Settings searched through the app's own `searchNotes` (version merge, grouping, fusion as shipped). */
export const APP_SETTINGS = ['app-dense', 'app-hybrid'] as const satisfies readonly SettingName[];

/** Wall-clock and CPU time of one piece of work, in milliseconds. */
export interface Cost {
  wallMs: number;
  cpuMs: number;
}

export interface TaskInfo {
  key: string;
  name: string;
  /** The dataset folder's name (never a path of the machine the run was on). */
  dir: string;
  docs: number;
  chunks: number;
  trainQueries: number;
  testQueries: number;
  trainSource: TrainSource;
  /** Judgements on documents that sampling left out of the corpus (dropped from the qrels). */
  droppedJudgements: number;
  pairs: { qrels: number; selfSupervised: number };
}

/** Costs of one stage; per method where methods differ. */
export interface StageCosts {
  /** Embedding the new task's corpus, per index family (frozen, ft, ft+kd). */
  indexing: Record<string, Cost & { chunks: number; cached: number }>;
  training: Record<string, Cost & { steps: number; backend: string; firstLoss: number; lastLoss: number }>;
  /** Embedding the fitting texts with both versions (shared by all kinds). */
  fitEmbedding: Cost & { texts: number };
  /** Fitting each compensator kind. */
  fitting: Record<string, Cost>;
  /** The backfill curve's scratch indexes: re-embedding, writing and evaluating them. */
  backfill: Cost;
  /** Forward maps: embedding anchor rows of older segments with the newest version, and fitting. */
  forwardFit: Cost & { texts: number; fitMs: number };
  /** Re-embedding every seen corpus with the newest ft+kd version. */
  reindex: Cost & { chunks: number };
  /** Searching and scoring every method on every seen task's test queries, in every setting. */
  evaluation: Cost & { queries: number };
  /** Bytes on disk of each family's index after the stage. */
  indexBytes: Record<string, number>;
}

export interface StageResult {
  stage: number;
  task: string;
  /** setting -> method -> task key -> metrics (every task seen so far). */
  results: Record<SettingName, Record<string, Record<string, Metrics>>>;
  /**
   * The default method through the app's search part-way through a backfill: app setting ->
   * fraction of older rows re-embedded -> task key -> metrics. 0 and 1 are the method's own
   * results and `reindex`'s (every row in the newest version).
   */
  backfill: Record<AppSetting, Array<{ fraction: number; results: Record<string, Metrics> }>>;
  /** Per-query nDCG@10 where decisions are made, for paired intervals (absent in older reports). */
  perQuery?: PerQuery;
  /** The app chain's gate on this stage's candidate (a refused one is never adopted). */
  app: { passed: boolean; reasons: string[]; metrics: Record<string, number> };
  costs: StageCosts;
}

export type AppSetting = (typeof APP_SETTINGS)[number];

export interface MethodSummary {
  /** Mean nDCG@10 over the tasks seen at each stage. */
  averageByStage: number[];
  /** Mean of each metric over all tasks after the last stage. */
  finalAverage: Metrics;
  /** Per task: best nDCG@10 over the stages it was evaluated in, minus its final nDCG@10. */
  forgetting: Record<string, number>;
  meanForgetting: number;
  /**
   * (this - ft+kd) / (reindex - ft+kd) on the final average nDCG@10; null for methods that are not
   * compensated or when reindexing gains nothing.
   */
  recoveryRatio: number | null;
  /** App settings, the default method: mean nDCG@10 after the last stage at each backfill fraction. */
  backfill?: Array<{ fraction: number; average: number }>;
}

export interface ContinualReport {
  format: 'driftless-continual-report';
  formatVersion: 1;
  config: {
    mode: 'quick' | 'full';
    seed: number;
    datasets: string[];
    sample: SampleOptions;
    train: ContinualOptions['train'];
    kinds: FittedKind[];
    signals: SignalSetting;
    selfSupervisedPairs: number;
    fitDocs: number;
    depth: number;
    metrics: string[];
  };
  encoder: { backboneId: string; dimensions: number };
  methods: string[];
  settings: SettingName[];
  tasks: TaskInfo[];
  stages: StageResult[];
  summary: Record<SettingName, Record<string, MethodSummary>>;
  /** Paired differences each decision rests on, with 95% intervals, at every stage. */
  differences: PairedDifference[];
  totals: {
    trainingMs: Record<string, Cost>;
    fittingMs: Record<string, Cost>;
    fitEmbeddingMs: Cost;
    forwardFitMs: Cost;
    backfillMs: Cost;
    reindexMs: Cost;
    evaluationMs: Cost;
    wallMs: number;
  };
  environment: { node: string; platform: string; cpus: number };
}
