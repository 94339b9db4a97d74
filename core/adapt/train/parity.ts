import path from 'node:path';
import type { Encoder, TrainableWeights } from '../../encoder/index.ts';
import type { TrainingPair, TrainOptions } from '../types.ts';
import type { TrainingBackendName } from './backend.ts';
import type { UseLiteCandidate } from './candidate.ts';
import { sharedUseLiteParts } from './assets.ts';
import { createUseLiteTrainer } from './trainer.ts';
import { flattenTrainable, unflattenTrainable } from './trainableTensors.ts';
import { isTrainableSource } from './versionEncoder.ts';

/** How far two backends' runs of the same training apart ended. */
export interface BackendParity {
  readonly backends: readonly [TrainingBackendName, TrainingBackendName];
  /** max |loss_a - loss_b| over the first and the last step. */
  readonly maxAbsLossDiff: number;
  /** max |w_a - w_b| over every trainable weight after the run. */
  readonly maxAbsWeightDiff: number;
  /** The largest move of any weight from its start, for scale. */
  readonly maxAbsWeightChange: number;
  /**
   * The share of weights more than 1e-6 apart. Adam's first update is lr * g / |g| per weight, so
   * a weight whose gradient is near zero may move either way on either backend and the maximum
   * alone says little; a wrong gradient or update moves most weights apart.
   */
  readonly weightsApartShare: number;
  /** ms per step of each run (the first step includes compiling WebGPU's shaders). */
  readonly msPerStep: Readonly<Record<string, number>>;
}

export interface ParityRun {
  readonly from: Encoder;
  readonly pairs: readonly TrainingPair[];
  readonly options: TrainOptions;
  /** The bundled model folder and, below it, one checkpoint folder per backend. */
  readonly workDir: string;
  readonly backends: readonly [TrainingBackendName, TrainingBackendName];
  /** Lets the parity check run WebGPU on SwiftShader (CI has no GPU). */
  readonly allowSoftwareGpu?: boolean;
}

/**
 * Trains the real trainable block (layer 1, pooling, tanh; InfoNCE, distillation, AdamW) from the
 * same start with the same batches on two backends and compares the losses and the updated
 * weights. The frozen features and the teacher come from onnxruntime in both runs.
 */
export async function trainingParity(run: ParityRun): Promise<BackendParity> {
  const [a, b] = [await trainOn(run, run.backends[0]), await trainOn(run, run.backends[1])];
  try {
    const start = flattenTrainable(await startWeights(run));
    const left = flattenTrainable(a.trainable);
    const right = flattenTrainable(b.trainable);
    const maxOver = (diff: (i: number) => number): number => Math.max(...left.map((_, i) => diff(i)));
    return {
      backends: run.backends,
      maxAbsLossDiff: Math.max(
        Math.abs(a.report.firstLoss - b.report.firstLoss),
        Math.abs(a.report.lastLoss - b.report.lastLoss),
      ),
      maxAbsWeightDiff: maxOver((i) => maxAbsDiff(left[i]?.tensor.data, right[i]?.tensor.data)),
      maxAbsWeightChange: maxOver((i) => maxAbsDiff(left[i]?.tensor.data, start[i]?.tensor.data)),
      weightsApartShare: apartShare(
        left.map((t) => t.tensor.data),
        right.map((t) => t.tensor.data),
      ),
      msPerStep: { [run.backends[0]]: msPerStep(a), [run.backends[1]]: msPerStep(b) },
    };
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

async function trainOn(run: ParityRun, backend: TrainingBackendName): Promise<UseLiteCandidate> {
  const trainer = createUseLiteTrainer({
    cacheDir: path.join(run.workDir, 'models'),
    threads: 1,
    backends: [backend],
    allowSoftwareGpu: run.allowSoftwareGpu ?? false,
    checkpointEvery: run.options.steps,
  });
  const candidate = await trainer.train(
    {
      from: run.from,
      pairs: [...run.pairs],
      options: run.options,
      checkpointDir: path.join(run.workDir, `parity-${backend}`),
    },
    { signal: new AbortController().signal, report: () => undefined, checkpoint: () => Promise.resolve() },
  );
  if (candidate.report.backend !== backend)
    throw new Error(`The parity run asked for ${backend} and trained on ${candidate.report.backend}.`);
  return candidate;
}

async function startWeights(run: ParityRun): Promise<TrainableWeights> {
  const parts = await sharedUseLiteParts();
  if (!isTrainableSource(run.from)) return parts.pretrained;
  return unflattenTrainable(parts.pretrained, await run.from.readTrainableTensors());
}

function msPerStep(candidate: UseLiteCandidate): number {
  return Math.round(candidate.report.msPerStep);
}

const APART = 1e-6;

function apartShare(left: readonly Float32Array[], right: readonly Float32Array[]): number {
  let apart = 0;
  let total = 0;
  left.forEach((a, t) => {
    const b = right[t] ?? new Float32Array(a.length).fill(NaN);
    for (let i = 0; i < a.length; i++) if (!(Math.abs((a[i] as number) - (b[i] as number)) <= APART)) apart++;
    total += a.length;
  });
  return total > 0 ? apart / total : 0;
}

function maxAbsDiff(a: Float32Array | undefined, b: Float32Array | undefined): number {
  if (!a || !b || a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}
