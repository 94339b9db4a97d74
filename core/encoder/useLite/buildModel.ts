import type { FrozenWeights, TrainableWeights } from './architecture.ts';
import { frozenBlock, l2Normalize, MAX_POSITIONS, sequenceInputs, trainableBlock } from './blocks.ts';
import { OnnxGraphBuilder } from './onnxGraph.ts';

/** Names of the generated model's inputs and outputs. */
export const MODEL_IO = {
  inputIds: 'input_ids',
  attentionMask: 'attention_mask',
  /** [batch, 512] unit-norm sentence vectors. */
  embedding: 'embedding',
  /** [batch, 512] tanh-layer output before normalisation. */
  hidden: 'hidden',
} as const;

/** Bumped whenever the generated graph changes, so cached models are rebuilt. */
export const BUILDER_VERSION = '2';

/** Serialises the USE-lite encoder as an ONNX model (opset 17) from its two weight parts. */
export function buildUseLiteOnnx(
  frozen: FrozenWeights,
  trainable: TrainableWeights,
  metadata: Record<string, string> = {},
): Uint8Array {
  const g = new OnnxGraphBuilder();
  const inputs = sequenceInputs(g, MODEL_IO.inputIds, MODEL_IO.attentionMask);
  const layer0 = frozenBlock(g, inputs, frozen);
  const hidden = trainableBlock(g, inputs, layer0, trainable);
  const hiddenOut = g.op('Identity', [hidden], MODEL_IO.hidden);
  l2Normalize(g, hiddenOut, MODEL_IO.embedding);
  return g.toModel({
    inputs: [
      { name: MODEL_IO.inputIds, type: 'int64', dims: ['batch', 'sequence'] },
      { name: MODEL_IO.attentionMask, type: 'int64', dims: ['batch', 'sequence'] },
    ],
    outputs: [
      { name: MODEL_IO.embedding, type: 'float', dims: ['batch', 512] },
      { name: MODEL_IO.hidden, type: 'float', dims: ['batch', 512] },
    ],
    metadata: { builder_version: BUILDER_VERSION, max_positions: String(MAX_POSITIONS), ...metadata },
  });
}
