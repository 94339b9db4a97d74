import fs from 'node:fs/promises';
import path from 'node:path';
import type { Encoder } from '../../encoder/index.ts';
import type { JobContext } from '../../jobs/index.ts';
import { SeededRandom } from '../../base/index.ts';
import { StepBudget, type StepPlan } from '../stepBudget.ts';
import type { EncoderTrainer, TrainedCandidate, TrainingPair, TrainOptions } from '../types.ts';
import { identity, LinearEncoder, multiply } from './linearEncoder.ts';

export interface LinearTrainerOptions {
  /**
   * Angle (radians) of the seeded rotation applied after training, standing in for the arbitrary
   * drift of a real encoder's space; it leaves retrieval inside the new space unchanged.
   */
  driftAngle?: number;
  /** 'collapse' makes a bad candidate: it keeps only a quarter of the output dimensions. */
  mode?: 'good' | 'collapse';
  /** Throws at this step, as if training crashed (the checkpoint before it survives). */
  crashAtStep?: number;
  /** Steps between checkpoints (default 5). */
  checkpointEvery?: number;
  /**
   * What one step costs on the time budget's clock, in ms. With it, a run under a budget
   * (`TrainOptions.maxMinutes`) plans its steps as the product's trainer does (StepBudget) and
   * reports the plan; without it the fixture trains the configured steps and reports no plan.
   */
  msPerStep?: number;
}

const CHECKPOINT = 'linear-checkpoint.json';
const BACKEND = 'fixture-linear';

interface LinearCheckpoint {
  step: number;
  matrix: Float64Array;
  /** The plan a budgeted run fixed, kept so a resumed run trains the same total. */
  plan: StepPlan | undefined;
}

/**
 * TEST FIXTURE. Trains a LinearEncoder's matrix W by minibatch steps that learn a term-translation
 * map from the pairs (anchored to the parent's W), then applies a seeded rotation as drift;
 * checkpoints so a restarted job resumes. Real enough that drift, gate and compensation are
 * measurable; not the product's trainer.
 */
export class LinearTrainer implements EncoderTrainer {
  /** Steps the last `train` call resumed from (0 when it started fresh). */
  resumedFromStep = 0;

  constructor(private readonly settings: LinearTrainerOptions = {}) {}

  async train(
    args: { from: Encoder; pairs: TrainingPair[]; options: TrainOptions; checkpointDir: string },
    context: JobContext,
  ): Promise<TrainedCandidate> {
    const started = performance.now();
    const parent = asLinear(args.from);
    const dims = parent.dimensions;
    const state = await this.#resume(args.checkpointDir, parent.matrix);
    const random = new SeededRandom(args.options.seed);
    const queryOnly = queryOnlyFeatures(parent, args.pairs);
    const losses: number[] = [];
    const budget = this.#budget(args.options, state.step);
    let plan = state.plan;
    let total = plan?.steps ?? args.options.steps;
    for (let step = state.step; step < total; step++) {
      await context.checkpoint();
      if (step === this.settings.crashAtStep) throw new Error(`Training crashed at step ${step}.`);
      const batch = random.sample(args.pairs, args.options.batchSize);
      losses.push(gradientStep(state.matrix, parent, batch, args.options, queryOnly));
      budget?.step();
      const planned = plan ? undefined : budget?.plan.afterStep(step + 1);
      if (planned) [plan, total] = [planned, planned.steps];
      if ((step + 1) % (this.settings.checkpointEvery ?? 5) === 0)
        await saveCheckpoint(args.checkpointDir, { step: step + 1, matrix: state.matrix, plan });
      context.report({ phase: 'train', done: step + 1, total });
    }
    const final = this.#finish(state.matrix, dims, args.options.seed);
    const candidate = new LinearEncoder(dims, 'candidate', final);
    const seconds = (performance.now() - started) / 1000;
    const steps = total - state.step;
    const report = {
      backend: BACKEND,
      steps: total,
      ...(plan ? { stepPlan: plan } : {}),
      pairs: args.pairs.length,
      firstLoss: losses[0] ?? 0,
      lastLoss: losses.at(-1) ?? 0,
      seconds,
      msPerStep: steps > 0 ? (seconds * 1000) / steps : 0,
    };
    return {
      report,
      encoder: async () => candidate,
      writeVersionFiles: (dir) => candidate.save(dir),
      close: async () => undefined,
    };
  }

  async #resume(dir: string, start: Float64Array): Promise<LinearCheckpoint> {
    try {
      const saved = JSON.parse(await fs.readFile(path.join(dir, CHECKPOINT), 'utf8')) as {
        step: number;
        matrix: number[];
        plan?: StepPlan;
      };
      this.resumedFromStep = saved.step;
      return { step: saved.step, matrix: Float64Array.from(saved.matrix), plan: saved.plan };
    } catch {
      this.resumedFromStep = 0;
      return { step: 0, matrix: Float64Array.from(start), plan: undefined };
    }
  }

  /** A step budget on a clock that advances `msPerStep` per step, when the run has a budget to plan. */
  #budget(options: TrainOptions, done: number): { plan: StepBudget; step(): void } | undefined {
    const { msPerStep } = this.settings;
    if (msPerStep === undefined || options.maxMinutes === undefined) return undefined;
    const clock = { ms: 0 };
    const plan = new StepBudget({ options, backend: BACKEND }, () => clock.ms, 0, done);
    plan.startSteps();
    return { plan, step: () => void (clock.ms += msPerStep) };
  }

  #finish(matrix: Float64Array, dims: number, seed: number): Float64Array {
    let out = matMul(rotation(dims, this.settings.driftAngle ?? 0.6, seed), matrix, dims);
    if (this.settings.mode === 'collapse')
      out = out.map((value, i) => (Math.floor(i / dims) % 4 === 0 ? value : 0));
    return out;
  }
}

function asLinear(encoder: Encoder): LinearEncoder {
  return encoder instanceof LinearEncoder
    ? encoder
    : new LinearEncoder(encoder.dimensions, encoder.version, identity(encoder.dimensions));
}

async function saveCheckpoint(dir: string, { step, matrix, plan }: LinearCheckpoint): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, CHECKPOINT);
  await fs.writeFile(`${file}.tmp`, JSON.stringify({ step, matrix: Array.from(matrix), plan }));
  await fs.rename(`${file}.tmp`, file);
}

/**
 * One step of learning a term-translation map from the pairs: features that queries use far more
 * often than passages (`queryOnly`) learn to point at the parent's embedding of their positives,
 * so a query in the user's words reaches passages in the notes' words. Passages, made of the other
 * features, keep their embedding. A pull of weight lq + ld holds W near the parent's (the
 * distillation terms). Updates W in place; returns the mean query-positive distance before it.
 */
function gradientStep(
  matrix: Float64Array,
  parent: LinearEncoder,
  batch: readonly TrainingPair[],
  options: TrainOptions,
  queryOnly: Float64Array,
): number {
  const dims = parent.dimensions;
  const step = new Float64Array(dims * dims);
  let loss = 0;
  for (const pair of batch) {
    const query = parent.features(pair.query).map((value, k) => value * queryOnly[k]!);
    const target = unitOf(multiply(parent.matrix, parent.features(pair.positive), dims));
    const error = subtract(target, multiply(matrix, query, dims));
    loss += dot(error, error);
    addOuter(step, error, query, 1 / batch.length, dims);
  }
  const pull = options.lq + options.ld;
  for (let k = 0; k < matrix.length; k++) {
    const decay = pull * (matrix[k]! - parent.matrix[k]!) + options.weightDecay * matrix[k]!;
    matrix[k] = matrix[k]! + options.learningRate * (step[k]! - decay);
  }
  return loss / batch.length;
}

/** 1 for features at least `ratio` times more frequent in queries than in passages, else 0. */
export function queryOnlyFeatures(
  parent: LinearEncoder,
  pairs: readonly TrainingPair[],
  ratio = 4,
): Float64Array {
  const inQueries = new Float64Array(parent.dimensions);
  const inPassages = new Float64Array(parent.dimensions);
  for (const pair of pairs) {
    parent.features(pair.query).forEach((value, k) => (inQueries[k]! += value > 0 ? 1 : 0));
    parent.features(pair.positive).forEach((value, k) => (inPassages[k]! += value > 0 ? 1 : 0));
  }
  return inQueries.map((count, k) => (count > 0 && count >= ratio * inPassages[k]! ? 1 : 0));
}

function unitOf(x: Float64Array): Float64Array {
  const norm = Math.hypot(...x) || 1;
  return x.map((value) => value / norm);
}

function subtract(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((value, i) => value - b[i]!);
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** target += a * x y^T */
function addOuter(target: Float64Array, x: Float64Array, y: Float64Array, a: number, dims: number): void {
  for (let i = 0; i < dims; i++) {
    const xi = a * x[i]!;
    if (xi === 0) continue;
    for (let j = 0; j < dims; j++) target[i * dims + j]! += xi * y[j]!;
  }
}

function matMul(a: Float64Array, b: Float64Array, dims: number): Float64Array {
  const out = new Float64Array(dims * dims);
  for (let i = 0; i < dims; i++)
    for (let k = 0; k < dims; k++) {
      const aik = a[i * dims + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < dims; j++) out[i * dims + j]! += aik * b[k * dims + j]!;
    }
  return out;
}

/** A seeded orthogonal matrix: Givens rotations by `angle` in random coordinate planes. */
function rotation(dims: number, angle: number, seed: number): Float64Array {
  const m = identity(dims);
  const random = new SeededRandom(seed * 7919 + 17);
  for (let r = 0; r < dims * 2; r++) {
    const p = random.int(dims);
    const q = (p + 1 + random.int(dims - 1)) % dims;
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    for (let j = 0; j < dims; j++) {
      const a = m[p * dims + j]!;
      const b = m[q * dims + j]!;
      m[p * dims + j] = c * a - s * b;
      m[q * dims + j] = s * a + c * b;
    }
  }
  return m;
}
