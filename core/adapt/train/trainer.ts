import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DriftlessError, sha256 } from '../../base/index.ts';
import type { Encoder, TrainableWeights } from '../../encoder/index.ts';
import type { JobContext } from '../../jobs/index.ts';
import type { EncoderTrainer, TrainingPair, TrainOptions } from '../types.ts';
import { AdamW } from './adamw.ts';
import { sharedTokenizer, sharedUseLiteParts } from './assets.ts';
import type { UseLiteParts } from './assets.ts';
import { selectTrainingBackend } from './backend.ts';
import type { TrainingBackendName } from './backend.ts';
import { UseLiteCandidate } from './candidate.ts';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.ts';
import { FrozenFeatures } from './frozenFeatures.ts';
import { loadOrBuildFrozenOnnx } from './frozenModel.ts';
import { PairSampler } from './sampler.ts';
import { trainStep } from './step.ts';
import type { StepParts, TeacherVectors } from './step.ts';
import { TrainableBlock } from './trainableBlock.ts';
import { flattenTrainable, unflattenTrainable } from './trainableTensors.ts';
import { isTrainableSource } from './versionEncoder.ts';

export interface UseLiteTrainerOptions {
  /** Where the frozen-part ONNX model is kept between runs, e.g. `<data>/models/use-lite`. */
  readonly cacheDir: string;
  /** Steps between checkpoints; default 25. The last step always writes one. */
  readonly checkpointEvery?: number;
  /** tfjs backends to try, best first; default native GPU, native CPU, wasm, cpu. */
  readonly backends?: readonly TrainingBackendName[];
  /** onnxruntime threads for the frozen part and the teacher; default the machine's cores (at most 8). */
  readonly threads?: number;
}

/** Texts embedded by the teacher per call, between pause and cancel checks. */
const TEACHER_CHUNK = 256;

/**
 * The trainer of the bundled USE-lite encoder. It retrains transformer layer 1, the pooling and
 * the tanh layer on TensorFlow.js over the token states of the frozen layer 0 (computed on
 * onnxruntime), with InfoNCE plus distillation towards the `from` version. Because layer 1 reads
 * token states, a chunk moves to the new version only by running the transformer over its text
 * again: no stored vector can shortcut re-embedding, which is what makes drift compensation pay.
 */
export function createUseLiteTrainer(options: UseLiteTrainerOptions): EncoderTrainer {
  return {
    train: (args, context) => train(options, args, context),
  };
}

async function train(
  settings: UseLiteTrainerOptions,
  args: { from: Encoder; pairs: TrainingPair[]; options: TrainOptions; checkpointDir: string },
  context: JobContext,
): Promise<UseLiteCandidate> {
  const { from, pairs, options } = args;
  validate(from, pairs, options);
  const started = performance.now();
  const backend = await selectTrainingBackend(settings.backends);
  const parts = await sharedUseLiteParts();
  const startWeights = await startingWeights(from, parts);
  const fingerprint = runFingerprint(startWeights, pairs, options);
  const checkpoint = await loadCheckpoint(args.checkpointDir, fingerprint);
  const threads = settings.threads ?? Math.max(1, Math.min(availableParallelism(), 8));
  const frozenModel = await loadOrBuildFrozenOnnx(settings.cacheDir, parts.sourceHash, () => parts.frozen);
  const features = await FrozenFeatures.open(frozenModel, await sharedTokenizer(), threads);
  const block = TrainableBlock.fromWeights(startWeights);
  if (checkpoint) block.assign(checkpoint.weights);
  const optimizer = new AdamW(block.variables, options, checkpoint?.optimizer);
  try {
    const done = checkpoint?.step ?? 0;
    context.report({
      phase: 'train',
      done,
      total: options.steps,
      detail: 'embedding with the current version',
    });
    const teacher = done < options.steps ? await teacherVectors(from, pairs, context) : emptyTeacher();
    const parts_: StepParts = { block, optimizer, features, teacher, ...options };
    const sampler = new PairSampler(
      pairs,
      options.batchSize,
      options.negativesPerPair,
      checkpoint?.sampler ?? { seed: options.seed },
    );
    let firstLoss = checkpoint?.firstLoss ?? NaN;
    let lastLoss = checkpoint?.lastLoss ?? NaN;
    const loopStart = performance.now();
    for (let step = done; step < options.steps; step++) {
      await context.checkpoint();
      lastLoss = await trainStep(parts_, sampler.next());
      if (step === 0) firstLoss = lastLoss;
      context.report({
        phase: 'train',
        done: step + 1,
        total: options.steps,
        detail: `loss ${lastLoss.toFixed(4)}`,
      });
      if ((step + 1) % (settings.checkpointEvery ?? 25) === 0 || step + 1 === options.steps) {
        await saveCheckpoint(args.checkpointDir, {
          fingerprint,
          step: step + 1,
          sampler: sampler.state,
          firstLoss,
          lastLoss,
          weights: await namedValues(block),
          optimizer: await optimizer.state(),
        });
      }
    }
    const ranSteps = options.steps - done;
    const trained = await block.read();
    const seconds = (performance.now() - started) / 1000;
    const msPerStep = ranSteps > 0 ? (performance.now() - loopStart) / ranSteps : 0;
    return new UseLiteCandidate(
      {
        backend,
        steps: options.steps,
        pairs: pairs.length,
        firstLoss,
        lastLoss,
        seconds,
        msPerStep,
        resumedFromStep: done,
      },
      parts.frozen,
      trained,
    );
  } finally {
    optimizer.dispose();
    block.dispose();
    await features.close();
  }
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

async function namedValues(block: TrainableBlock): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const [name, variable] of block.variables) out.set(name, (await variable.data()) as Float32Array);
  return out;
}

/** The `from` encoder's embeddings of every query and document, once per run. */
async function teacherVectors(
  from: Encoder,
  pairs: readonly TrainingPair[],
  context: JobContext,
): Promise<TeacherVectors> {
  const queries = [...new Set(pairs.map((p) => p.query))];
  const documents = [...new Set(pairs.flatMap((p) => [p.positive, ...p.negatives]))];
  return {
    queries: await embedAll(queries, (chunk) => from.embedQueries(chunk, context.signal), context),
    documents: await embedAll(documents, (chunk) => from.embedDocuments(chunk, context.signal), context),
  };
}

async function embedAll(
  texts: readonly string[],
  embed: (chunk: readonly string[]) => Promise<Float32Array[]>,
  context: JobContext,
): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (let i = 0; i < texts.length; i += TEACHER_CHUNK) {
    await context.checkpoint();
    const chunk = texts.slice(i, i + TEACHER_CHUNK);
    const vectors = await embed(chunk);
    chunk.forEach((text, j) => out.set(text, vectors[j] ?? new Float32Array()));
  }
  return out;
}

function emptyTeacher(): TeacherVectors {
  return { queries: new Map(), documents: new Map() };
}
