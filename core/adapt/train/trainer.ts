import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DriftlessError, sha256 } from '../../base/index.ts';
import type { Encoder, TrainableWeights } from '../../encoder/index.ts';
import type { JobContext } from '../../jobs/index.ts';
import type { EncoderTrainer, TrainingPair, TrainOptions } from '../types.ts';
import { sharedTokenizer, sharedUseLiteParts } from './assets.ts';
import type { UseLiteParts } from './assets.ts';
import { chooseTrainingBackend, retireTrainingBackend } from './backend.ts';
import type { TrainingBackendChoice, TrainingBackendName } from './backend.ts';
import { backendFault } from './backendFault.ts';
import { UseLiteCandidate, type UseLiteTrainReport } from './candidate.ts';
import { loadCheckpoint } from './checkpoint.ts';
import { FrozenFeatures } from './frozenFeatures.ts';
import { buildFrozenOnnx, removeFrozenLeftovers } from './frozenModel.ts';
import { flattenTrainable, unflattenTrainable } from './trainableTensors.ts';
import { TrainingRun, type RunResult } from './trainingRun.ts';
import { isTrainableSource } from './versionEncoder.ts';

export interface UseLiteTrainerOptions {
  /** The bundled encoder's model folder, e.g. `<data>/models/use-lite` (frozen-part models of earlier releases are removed from it). */
  readonly cacheDir: string;
  /** Steps between checkpoints; default 25. The last step always writes one. */
  readonly checkpointEvery?: number;
  /** tfjs backends to try, best first; default WebGPU, native GPU, native CPU, wasm, cpu. */
  readonly backends?: readonly TrainingBackendName[];
  /** Train on a software WebGPU adapter (SwiftShader) too: parity tests and benchmarks only. */
  readonly allowSoftwareGpu?: boolean;
  /** onnxruntime execution providers of the frozen part, best first; default the platform's GPU, then cpu. */
  readonly executionProviders?: readonly string[];
  /** Padded tokens per forward/backward chunk of a step (memory bound); default 4096. */
  readonly chunkTokens?: number;
  /** onnxruntime threads for the frozen part and the teacher; default the machine's cores (at most 8). */
  readonly threads?: number;
  /**
   * Called with the tfjs backend and why, as soon as a run has started it (before any step), and
   * again when a backend fault (out of memory, device lost) moves the run to the next backend.
   */
  readonly onBackend?: (choice: TrainingBackendChoice) => void;
  /**
   * The clock a time budget (`TrainOptions.maxMinutes`) is measured on, in ms; `performance.now`
   * by default. Tests pass one they advance as steps report, to plan without sleeping.
   */
  readonly now?: () => number;
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
  const now = settings.now ?? (() => performance.now());
  const startedMs = now();
  const parts = await sharedUseLiteParts();
  const start = await startingWeights(from, parts);
  const fingerprint = runFingerprint(start, pairs, options);
  const features = await openFrozenFeatures(settings, parts);
  const faults: string[] = [];
  try {
    for (;;) {
      const choice = await chooseTrainingBackend(settings.backends, settings);
      const reported =
        faults.length > 0 ? { ...choice, reason: `${choice.reason} (${faults.join('; ')})` } : choice;
      settings.onBackend?.(reported);
      try {
        const checkpoint = await loadCheckpoint(checkpointDir, fingerprint);
        const inputs = {
          from,
          pairs,
          options,
          checkpointDir,
          fingerprint,
          checkpointEvery: settings.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY,
          chunkTokens: settings.chunkTokens ?? DEFAULT_CHUNK_TOKENS,
          backend: choice.name,
          now,
          startedMs,
          replan: faults.length > 0,
        };
        const result = await runSteps(new TrainingRun(inputs, features, start, checkpoint), context);
        const seconds = (performance.now() - started) / 1000;
        const report = reportOf(reported, features, pairs.length, seconds, result);
        return new UseLiteCandidate(report, parts.frozen, result.weights);
      } catch (error) {
        // Out of memory or a lost device: the next backend resumes from the last checkpoint.
        const fault = backendFault(choice.name, error);
        if (!fault) throw error;
        retireTrainingBackend(choice.name, fault);
        faults.push(`${fault}; moved on from ${choice.name}`);
      }
    }
  } finally {
    await features.close();
  }
}

async function runSteps(run: TrainingRun, context: JobContext): Promise<RunResult> {
  try {
    return await run.run(context);
  } finally {
    run.close();
  }
}

function reportOf(
  choice: TrainingBackendChoice,
  features: FrozenFeatures,
  pairs: number,
  seconds: number,
  result: RunResult,
): UseLiteTrainReport {
  const { firstLoss, lastLoss, msPerStep, phaseMs, resumedFromStep, plan } = result;
  return {
    backend: choice.name,
    backendReason: choice.reason,
    frozenProvider: features.runtime.provider,
    frozenProviderReason: features.runtime.reason,
    steps: plan?.steps ?? resumedFromStep,
    ...(plan ? { stepPlan: plan } : {}),
    pairs,
    firstLoss,
    lastLoss,
    seconds,
    msPerStep,
    phaseMs,
    resumedFromStep,
  };
}

async function openFrozenFeatures(
  settings: UseLiteTrainerOptions,
  parts: UseLiteParts,
): Promise<FrozenFeatures> {
  const threads = settings.threads ?? Math.max(1, Math.min(availableParallelism(), 8));
  await removeFrozenLeftovers(settings.cacheDir);
  const model = buildFrozenOnnx(parts.frozen);
  return FrozenFeatures.open(model, await sharedTokenizer(), threads, settings.executionProviders);
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
    options.maxMinutes !== undefined && !(options.maxMinutes > 0) && 'maxMinutes must be positive',
    options.minSteps !== undefined &&
      !positiveInteger(options.minSteps) &&
      'minSteps must be a positive integer',
    !positiveInteger(options.batchSize) && 'batchSize must be a positive integer',
    !(Number.isInteger(options.negativesPerPair) && options.negativesPerPair >= 0) &&
      'negativesPerPair must be a non-negative integer',
    !(options.temperature > 0) && 'temperature must be positive',
    !(options.learningRate > 0) && 'learningRate must be positive',
    !(options.lq >= 0 && options.ld >= 0 && (options.lc ?? 0) >= 0) && 'lq, ld and lc must not be negative',
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
