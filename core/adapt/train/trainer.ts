import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DriftlessError, sha256 } from '../../base/index.ts';
import type { Encoder, TrainableWeights } from '../../encoder/index.ts';
import type { JobContext } from '../../jobs/index.ts';
import type { EncoderTrainer, TrainingPair, TrainOptions } from '../types.ts';
import { sharedTokenizer, sharedUseLiteParts } from './assets.ts';
import type { UseLiteParts } from './assets.ts';
import { selectTrainingBackend } from './backend.ts';
import type { TrainingBackendName } from './backend.ts';
import { UseLiteCandidate } from './candidate.ts';
import { loadCheckpoint } from './checkpoint.ts';
import { FrozenFeatures } from './frozenFeatures.ts';
import { buildFrozenOnnx, removeFrozenLeftovers } from './frozenModel.ts';
import { flattenTrainable, unflattenTrainable } from './trainableTensors.ts';
import { TrainingRun } from './trainingRun.ts';
import { isTrainableSource } from './versionEncoder.ts';

export interface UseLiteTrainerOptions {
  /** The bundled encoder's model folder, e.g. `<data>/models/use-lite` (frozen-part models of earlier releases are removed from it). */
  readonly cacheDir: string;
  /** Steps between checkpoints; default 25. The last step always writes one. */
  readonly checkpointEvery?: number;
  /** tfjs backends to try, best first; default native GPU, native CPU, wasm, cpu. */
  readonly backends?: readonly TrainingBackendName[];
  /** Padded tokens per forward/backward chunk of a step (memory bound); default 4096. */
  readonly chunkTokens?: number;
  /** onnxruntime threads for the frozen part and the teacher; default the machine's cores (at most 8). */
  readonly threads?: number;
  /** Called with the tfjs backend as soon as a run has started it (before any step). */
  readonly onBackend?: (name: TrainingBackendName) => void;
}

const DEFAULT_CHECKPOINT_EVERY = 25;
const DEFAULT_CHUNK_TOKENS = 4096;

/**
 * The trainer of the bundled USE-lite encoder. It retrains transformer layer 1, the pooling and
 * the tanh layer on TensorFlow.js over the token states of the frozen layer 0 (computed on
 * onnxruntime), with InfoNCE plus distillation towards the `from` version. Because layer 1 reads
 * token states, a chunk moves to the new version only by running the transformer over its text
 * again: no stored vector can shortcut re-embedding, which is what makes drift compensation pay.
 */
export function createUseLiteTrainer(options: UseLiteTrainerOptions): UseLiteTrainer {
  return {
    train: (args, context) => train(options, args, context),
  };
}

/** An EncoderTrainer whose candidates also expose their trainable weights and extended report. */
export interface UseLiteTrainer extends EncoderTrainer {
  train(args: TrainArgs, context: JobContext): Promise<UseLiteCandidate>;
}

type TrainArgs = Parameters<EncoderTrainer['train']>[0];

async function train(
  settings: UseLiteTrainerOptions,
  args: TrainArgs,
  context: JobContext,
): Promise<UseLiteCandidate> {
  const { from, pairs, options, checkpointDir } = args;
  validate(from, pairs, options);
  const started = performance.now();
  const backend = await selectTrainingBackend(settings.backends);
  settings.onBackend?.(backend);
  const parts = await sharedUseLiteParts();
  const start = await startingWeights(from, parts);
  const fingerprint = runFingerprint(start, pairs, options);
  const checkpoint = await loadCheckpoint(checkpointDir, fingerprint);
  const features = await openFrozenFeatures(settings, parts);
  try {
    const checkpointEvery = settings.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
    const chunkTokens = settings.chunkTokens ?? DEFAULT_CHUNK_TOKENS;
    const inputs = { from, pairs, options, checkpointDir, fingerprint, checkpointEvery, chunkTokens };
    const run = new TrainingRun(inputs, features, start, checkpoint);
    try {
      const result = await run.run(context);
      const { firstLoss, lastLoss, msPerStep, resumedFromStep } = result;
      const seconds = (performance.now() - started) / 1000;
      const report = {
        backend,
        steps: options.steps,
        pairs: pairs.length,
        firstLoss,
        lastLoss,
        seconds,
        msPerStep,
        resumedFromStep,
      };
      return new UseLiteCandidate(report, parts.frozen, result.weights);
    } finally {
      run.close();
    }
  } finally {
    await features.close();
  }
}

async function openFrozenFeatures(
  settings: UseLiteTrainerOptions,
  parts: UseLiteParts,
): Promise<FrozenFeatures> {
  const threads = settings.threads ?? Math.max(1, Math.min(availableParallelism(), 8));
  await removeFrozenLeftovers(settings.cacheDir);
  const model = buildFrozenOnnx(parts.frozen);
  return FrozenFeatures.open(model, await sharedTokenizer(), threads);
}

function validate(from: Encoder, pairs: readonly TrainingPair[], options: TrainOptions): void {
  if (from.backboneId !== 'use-lite')
    throw new DriftlessError('UNSUPPORTED', `This trainer retrains use-lite, not ${from.backboneId}.`, {
      backboneId: from.backboneId,
    });
  const positiveInteger = (n: number): boolean => Number.isInteger(n) && n > 0;
  const problems = [
    pairs.length === 0 && 'no training pairs',
    !positiveInteger(options.steps) && 'steps must be a positive integer',
    !positiveInteger(options.batchSize) && 'batchSize must be a positive integer',
    !(Number.isInteger(options.negativesPerPair) && options.negativesPerPair >= 0) &&
      'negativesPerPair must be a non-negative integer',
    !(options.temperature > 0) && 'temperature must be positive',
    !(options.learningRate > 0) && 'learningRate must be positive',
    !(options.lq >= 0 && options.ld >= 0) && 'lq and ld must not be negative',
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length > 0)
    throw new DriftlessError('INVALID_ARGUMENT', `Cannot train: ${problems.join('; ')}.`, { problems });
}

/** The trainable weights of `from`: its own when it has them, the pretrained ones for v0. */
async function startingWeights(from: Encoder, parts: UseLiteParts): Promise<TrainableWeights> {
  if (isTrainableSource(from)) return unflattenTrainable(parts.pretrained, await from.readTrainableTensors());
  if (from.version === 'v0') return parts.pretrained;
  throw new DriftlessError(
    'UNSUPPORTED',
    `Encoder version ${from.version} does not expose its trainable weights.`,
    {
      version: from.version,
    },
  );
}

/** Hashes what determines the run, so a checkpoint is only resumed by the same run. */
function runFingerprint(
  weights: TrainableWeights,
  pairs: readonly TrainingPair[],
  options: TrainOptions,
): string {
  const weightHashes = flattenTrainable(weights).map(({ tensor }) =>
    sha256(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength)),
  );
  return sha256(JSON.stringify({ weightHashes, pairs: sha256(JSON.stringify(pairs)), options }));
}
