import type { JobContext } from '../jobs/index.ts';
import type { Encoder } from '../encoder/index.ts';
import type { StepPlan } from './stepBudget.ts';

/** One training example: a query-like text, the passage it should retrieve, and passages it should not. */
export interface TrainingPair {
  query: string;
  positive: string;
  /** Hard negatives (mined from the index or skipped results); may be empty. */
  negatives: string[];
  source: 'feedback' | 'heading' | 'title' | 'sentence' | 'crop' | 'qrels' | 'replay';
  /** The note the positive comes from (`folderId/notePath`): held-out splits keep a note whole. */
  note?: string;
}

export interface TrainOptions {
  /** Steps of a run when time allows; under `maxMinutes` the run may plan fewer (stepBudget.ts). */
  steps: number;
  /**
   * Training time budget in minutes: the first steps are timed and the run's total is fixed to
   * what fits (at most `steps`). Undefined: no budget, always `steps` (tests, benchmarks).
   */
  maxMinutes?: number;
  /** Fewest steps worth a run under a budget (default 10); a budget that fits fewer refuses the run. */
  minSteps?: number;
  batchSize: number;
  /** Hard negatives used per pair (padded by in-batch negatives when fewer exist). */
  negativesPerPair: number;
  /** InfoNCE temperature; the paper uses 0.02. */
  temperature: number;
  /** Distillation weights on queries and documents against the frozen current version (paper: 1 and 1). */
  lq: number;
  ld: number;
  /**
   * Compatibility weight (RACT): the new query ranks the from version's vectors of its positives,
   * the vectors the index already stores, above old and new negatives. Default 0, off.
   */
  lc?: number;
  learningRate: number;
  weightDecay: number;
  warmupSteps: number;
  clipNorm: number;
  seed: number;
}

export interface TrainReport {
  backend: string;
  /** Why that backend, e.g. "GPU: none found, training on WebAssembly, 1 thread". */
  backendReason?: string;
  /** The onnxruntime execution provider of the frozen layers (cpu, cuda, ...), and why. */
  frozenProvider?: string;
  frozenProviderReason?: string;
  /** Steps the run trained in all: the planned total (`stepPlan.steps`) where the trainer plans. */
  steps: number;
  /** How the total was fixed and why ("200 steps planned; 42 fit the 20-minute budget at 28 s/step on wasm"). */
  stepPlan?: StepPlan;
  pairs: number;
  firstLoss: number;
  lastLoss: number;
  seconds: number;
  /** Mean wall time of this call's steps (setup before the first step excluded). */
  msPerStep: number;
  /**
   * Where that time went: mean ms per step in each phase of a step (e.g. frozen forward, tfjs
   * forward and backward, optimizer, checkpoint), for trainers that measure it; the phases add up
   * to about `msPerStep`.
   */
  phaseMs?: Readonly<Record<string, number>>;
}

/** A trained, not yet published encoder: it can embed (for the gate and compensator fitting) and be saved. */
export interface TrainedCandidate {
  readonly report: TrainReport;
  /** The candidate as an encoder (version label `candidate` until published). */
  encoder(): Promise<Encoder>;
  /** Writes the files of the new version (weights, ONNX model) into a staging folder. */
  writeVersionFiles(stagingDir: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Continues training an encoder version. Implementations keep the frozen part of the backbone
 * fixed and train the part on top whose change forces a real re-embedding (see DESIGN.md).
 */
export interface EncoderTrainer {
  train(
    args: { from: Encoder; pairs: TrainingPair[]; options: TrainOptions; checkpointDir: string },
    context: JobContext,
  ): Promise<TrainedCandidate>;
}
