import { BundledEncoder } from '../../encoder/index.ts';
import type { Encoder, UseLiteModelArgs } from '../../encoder/index.ts';

/** Reads the trainable weights of an encoder version by name, for training the next version from it. */
export interface TrainableSource {
  readTrainableTensors(): Promise<ReadonlyMap<string, Float32Array>>;
}

/** True when `encoder` can hand its trainable weights to the trainer. */
export function isTrainableSource(encoder: unknown): encoder is TrainableSource {
  return typeof (encoder as Partial<TrainableSource> | null)?.readTrainableTensors === 'function';
}

/**
 * Opens a retrained USE-lite version: it runs like the bundled encoder (same tokenizer, bucketing
 * and model inputs) over a model built from the frozen part and this version's trainable weights,
 * and hands those weights to the trainer through `trainable`.
 */
export async function openVersionEncoder(
  args: UseLiteModelArgs & { readonly trainable: () => Promise<ReadonlyMap<string, Float32Array>> },
): Promise<Encoder & TrainableSource> {
  const encoder = await BundledEncoder.fromModel(args);
  return Object.assign(encoder, { readTrainableTensors: args.trainable });
}
