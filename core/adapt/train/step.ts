import * as tf from '@tensorflow/tfjs';
import type { AdamW } from './adamw.ts';
import type { FrozenFeatures } from './frozenFeatures.ts';
import { contrastiveLoss, EXCLUDED_LOGIT } from './loss.ts';
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
}

/** Runs one optimisation step on `batch` and returns its loss (before the update). */
export async function trainStep(parts: StepParts, batch: StepBatch): Promise<number> {
  const queryStates = await parts.features.statesOf(batch.queries);
  const documentStates = await parts.features.statesOf(batch.documents);
  const variables = [...parts.block.variables.values()];
  const { value, grads } = tf.tidy(() => {
    const queries = tokenBatch(queryStates, parts.features.width);
    const documents = tokenBatch(documentStates, parts.features.width);
    const fixed = {
      teacherQueries: rows(batch.queries, parts.teacher.queries),
      teacherDocuments: rows(batch.documents, parts.teacher.documents),
      targets: tf.oneHot(batch.labels, batch.documents.length).toFloat() as tf.Tensor2D,
      exclusion: exclusionMask(batch),
    };
    return tf.variableGrads(
      () =>
        contrastiveLoss({
          queries: parts.block.embed(queries.states, queries.mask),
          documents: parts.block.embed(documents.states, documents.mask),
          ...fixed,
          temperature: parts.temperature,
          lq: parts.lq,
          ld: parts.ld,
        }),
      variables,
    );
  });
  const byName: tf.NamedTensorMap = {};
  for (const [name, variable] of parts.block.variables) {
    const grad = grads[variable.name];
    if (grad) byName[name] = grad;
  }
  parts.optimizer.apply(byName);
  const loss = (await value.data())[0] ?? NaN;
  tf.dispose([value, ...Object.values(grads)]);
  return loss;
}

function rows(texts: readonly string[], vectors: ReadonlyMap<string, Float32Array>): tf.Tensor2D {
  const width = vectors.values().next().value?.length ?? 512;
  const data = new Float32Array(texts.length * width);
  texts.forEach((text, i) => {
    const vector = vectors.get(text);
    if (!vector) throw new Error(`No teacher embedding for a training text.`);
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
