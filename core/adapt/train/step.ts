import * as tf from '@tensorflow/tfjs';
import type { AdamW } from './adamw.ts';
import type { FrozenFeatures, TokenStates } from './frozenFeatures.ts';
import { contrastiveLoss, EXCLUDED_LOGIT } from './loss.ts';
import type { PhaseClock } from './phaseClock.ts';
import type { StepBatch } from './sampler.ts';
import type { TrainableBlock } from './trainableBlock.ts';
import { tokenBatch } from './tokenBatch.ts';

/** The previous version's embeddings of every training text, computed once per run. */
export interface TeacherVectors {
  readonly queries: ReadonlyMap<string, Float32Array>;
  readonly documents: ReadonlyMap<string, Float32Array>;
}

export interface StepParts {
  readonly block: TrainableBlock;
  readonly optimizer: AdamW;
  readonly features: FrozenFeatures;
  readonly teacher: TeacherVectors;
  readonly temperature: number;
  readonly lq: number;
  readonly ld: number;
  readonly lc?: number;
  /** Padded tokens per forward/backward chunk; bounds memory whatever the batch size. */
  readonly chunkTokens: number;
  /**
   * Awaited between chunks (the job's checkpoint): a step of a large batch takes seconds, and pause
   * and cancel must act within one chunk. Throwing abandons the step; nothing has been applied yet.
   */
  readonly between?: () => Promise<void>;
  /** Where the step's time goes; `between` is timed by whoever passes it. */
  readonly clock: PhaseClock;
}

/** Texts of one side (queries or documents) split into chunks of similar length. */
interface Side {
  readonly states: readonly TokenStates[];
  /** Text indices, chunk by chunk; flattened, the order of the side's embedding rows. */
  readonly chunks: number[][];
}

/**
 * One optimisation step; returns its loss (before the update). The InfoNCE loss couples every
 * text of the batch, so the step runs as in GradCache (Gao et al., 2021): embed all texts chunk by
 * chunk without a tape, take the loss gradient with respect to the embeddings, then re-run each
 * chunk with a tape and push that gradient through it. The result equals the full-batch gradient,
 * while memory holds one chunk's activations at a time.
 */
export async function trainStep(parts: StepParts, batch: StepBatch): Promise<number> {
  const { clock } = parts;
  const queries = await sideOf(parts, batch.queries);
  await parts.between?.();
  const documents = await sideOf(parts, batch.documents);
  const held: tf.Tensor[] = [];
  const total = new Map<string, tf.Tensor>();
  try {
    const queryRows = await clock.time('forward', () => embedWithoutTape(parts, queries));
    held.push(queryRows);
    const documentRows = await clock.time('forward', () => embedWithoutTape(parts, documents));
    held.push(documentRows);
    const ordered = clock.timeSync('batch', () =>
      reorder(batch, queries.chunks.flat(), documents.chunks.flat()),
    );
    const { value, grads } = clock.timeSync('backward', () =>
      embeddingGradients(parts, ordered, queryRows, documentRows),
    );
    held.push(value, ...grads);
    const [queryGrad, documentGrad] = grads as [tf.Tensor2D, tf.Tensor2D];
    await clock.time('backward', () => accumulate(total, parts, queries, queryGrad));
    await clock.time('backward', () => accumulate(total, parts, documents, documentGrad));
    return await clock.time('optimizer', async () => {
      parts.optimizer.apply(Object.fromEntries(total));
      return (await value.data())[0] ?? NaN;
    });
  } finally {
    clock.timeSync('optimizer', () => tf.dispose([...held, ...total.values()]));
  }
}

/** One side's token states (tokenizer and frozen layers timed inside), chunked by length. */
async function sideOf(parts: StepParts, texts: readonly string[]): Promise<Side> {
  return await parts.clock.time('batch', async () =>
    side(await parts.features.statesOf(texts, parts.clock), parts.chunkTokens),
  );
}

function side(states: readonly TokenStates[], chunkTokens: number): Side {
  const order = states.map((_, i) => i).sort((a, b) => (states[b]?.tokens ?? 0) - (states[a]?.tokens ?? 0));
  const chunks: number[][] = [];
  let width = 0;
  for (const index of order) {
    const current = chunks.at(-1);
    if (current && (current.length + 1) * width <= chunkTokens) current.push(index);
    else {
      chunks.push([index]);
      width = Math.max(1, states[index]?.tokens ?? 0);
    }
  }
  return { states, chunks };
}

function embedChunk(parts: StepParts, s: Side, chunk: readonly number[]): tf.Tensor2D {
  const { states, mask } = tokenBatch(
    chunk.map((i) => s.states[i] as TokenStates),
    parts.features.width,
  );
  return parts.block.embed(states, mask);
}

/** All embeddings of one side, in chunk order, without keeping activations. */
async function embedWithoutTape(parts: StepParts, s: Side): Promise<tf.Tensor2D> {
  const pieces: tf.Tensor2D[] = [];
  try {
    for (const chunk of s.chunks) {
      await parts.between?.();
      pieces.push(tf.tidy(() => embedChunk(parts, s, chunk)));
    }
    return tf.concat(pieces);
  } finally {
    tf.dispose(pieces);
  }
}

/** The loss and its gradient with respect to the (chunk-ordered) query and document embeddings. */
function embeddingGradients(
  parts: StepParts,
  batch: StepBatch,
  queryRows: tf.Tensor2D,
  documentRows: tf.Tensor2D,
): { value: tf.Scalar; grads: tf.Tensor[] } {
  return tf.tidy(() => {
    const fixed = {
      teacherQueries: rows(batch.queries, parts.teacher.queries),
      teacherDocuments: rows(batch.documents, parts.teacher.documents),
      targets: tf.oneHot(batch.labels, batch.documents.length).toFloat() as tf.Tensor2D,
      exclusion: exclusionMask(batch),
      temperature: parts.temperature,
      lq: parts.lq,
      ld: parts.ld,
      lc: parts.lc ?? 0,
    };
    const loss = (queries: tf.Tensor, documents: tf.Tensor): tf.Scalar =>
      contrastiveLoss({ ...fixed, queries: queries as tf.Tensor2D, documents: documents as tf.Tensor2D });
    return tf.valueAndGrads(loss)([queryRows, documentRows]);
  });
}

/** The batch with queries and documents listed in the given orders (old indices), labels remapped. */
function reorder(
  batch: StepBatch,
  queryOrder: readonly number[],
  documentOrder: readonly number[],
): StepBatch {
  const newIndex = new Map(documentOrder.map((old, position) => [old, position]));
  const document = (old: number): number => newIndex.get(old) ?? 0;
  return {
    queries: queryOrder.map((q) => batch.queries[q] ?? ''),
    documents: documentOrder.map((d) => batch.documents[d] ?? ''),
    labels: queryOrder.map((q) => document(batch.labels[q] ?? 0)),
    excluded: queryOrder.map((q) => (batch.excluded[q] ?? []).map(document)),
  };
}

/** Adds each chunk's parameter gradient, given the loss gradient of its embeddings, into `total`. */
async function accumulate(
  total: Map<string, tf.Tensor>,
  parts: StepParts,
  s: Side,
  embeddingGrad: tf.Tensor2D,
): Promise<void> {
  const variables = [...parts.block.variables.values()];
  let offset = 0;
  for (const chunk of s.chunks) {
    await parts.between?.();
    const slice = embeddingGrad.slice([offset, 0], [chunk.length, -1]);
    offset += chunk.length;
    const { value, grads } = tf.variableGrads(
      () => embedChunk(parts, s, chunk).mul(slice).sum() as tf.Scalar,
      variables,
    );
    for (const [name, variable] of parts.block.variables) {
      const grad = grads[variable.name];
      if (!grad) continue;
      const previous = total.get(name);
      total.set(name, previous ? tf.tidy(() => previous.add(grad)) : grad);
      if (previous) tf.dispose([previous, grad]);
    }
    tf.dispose([value, slice]);
  }
}

function rows(texts: readonly string[], vectors: ReadonlyMap<string, Float32Array>): tf.Tensor2D {
  const width = vectors.values().next().value?.length ?? 512;
  const data = new Float32Array(texts.length * width);
  texts.forEach((text, i) => {
    const vector = vectors.get(text);
    if (!vector) throw new Error('No teacher embedding for a training text.');
    data.set(vector, i * width);
  });
  return tf.tensor2d(data, [texts.length, width]);
}

function exclusionMask(batch: StepBatch): tf.Tensor2D {
  const width = batch.documents.length;
  const data = new Float32Array(batch.queries.length * width);
  batch.excluded.forEach((columns, q) => columns.forEach((d) => (data[q * width + d] = EXCLUDED_LOGIT)));
  return tf.tensor2d(data, [batch.queries.length, width]);
}
