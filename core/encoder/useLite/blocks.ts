import { L2_EPSILON, PADDING_BIAS, timingSignal } from './architecture.ts';
import type { FrozenWeights, TrainableWeights } from './architecture.ts';
import { dense, transformerLayer } from './layers.ts';
import type { AttentionContext } from './layers.ts';
import type { OnnxGraphBuilder } from './onnxGraph.ts';

/** The longest sequence the generated model accepts (the timing-signal table's length). */
export const MAX_POSITIONS = 512;

/** Graph values shared by both blocks. */
export interface SequenceInputs extends AttentionContext {
  /** [batch, seq] int64 token ids. */
  readonly inputIds: string;
  /** [batch, seq] float, 1 at tokens and 0 at padding. */
  readonly mask: string;
}

/** Float mask, sizes and attention padding bias from the int64 inputs. */
export function sequenceInputs(g: OnnxGraphBuilder, inputIds: string, attentionMask: string): SequenceInputs {
  const mask = g.op('Cast', [attentionMask], 'mask', { to: 1 });
  const notMask = g.op('Sub', [g.floats('one', [1]), mask], 'padding');
  const bias = g.op('Mul', [notMask, g.floats('padding_bias_value', [PADDING_BIAS])], 'padding_bias_2d');
  const paddingBias = g.op('Unsqueeze', [bias, g.ints('bias_axes', [1, 2])], 'padding_bias');
  const batchBySequence = g.op('Shape', [inputIds], 'batch_by_sequence');
  return { inputIds, mask, paddingBias, batchBySequence };
}

/**
 * Frozen part: embeddings plus timing signal, then transformer layer 0 -> [batch * seq, 512].
 * The graph adds the embeddings twice (x + (x + timing)); kept as is for identical outputs.
 */
export function frozenBlock(g: OnnxGraphBuilder, inputs: SequenceInputs, weights: FrozenWeights): string {
  const table = g.weight('embeddings', weights.embeddings);
  const embedded = g.op('Gather', [table, inputs.inputIds], 'embedded', { axis: 0 });
  const timing = g.weight('timing_signal', timingSignal(weights.inverseTimescales, MAX_POSITIONS));
  const seqLength = g.op(
    'Slice',
    [inputs.batchBySequence, g.ints('one_i', [1]), g.ints('two_i', [2])],
    'seq_length',
  );
  const positions = g.op('Slice', [timing, g.ints('zero_i', [0]), seqLength, g.ints('axis0', [0])], 'timing');
  const withTiming = g.op('Add', [embedded, positions], 'with_timing');
  const stream = g.op('Add', [embedded, withTiming], 'layer0_input');
  const rowShape = g.ints('stream_shape', [-1, weights.embeddings.shape[1] ?? 0]);
  const rows = g.op('Reshape', [stream, rowShape], 'layer0_rows');
  return transformerLayer(g, rows, weights.layer0, inputs, 'layer0');
}

/**
 * Trainable part: transformer layer 1, mean over real tokens, then the 512x512 tanh layer ->
 * [batch, 512] (not yet unit-norm). A later encoder version swaps in new weights here.
 */
export function trainableBlock(
  g: OnnxGraphBuilder,
  inputs: SequenceInputs,
  layer0Rows: string,
  weights: TrainableWeights,
): string {
  const rows = transformerLayer(g, layer0Rows, weights.layer1, inputs, 'layer1');
  const width = g.ints('state_width', [weights.tanh.kernel.shape[0] ?? 0]);
  const stateShape = g.op('Concat', [inputs.batchBySequence, width], 'state_shape', { axis: 0 });
  const states = g.op('Reshape', [rows, stateShape], 'layer1_states');
  const mask3d = g.op('Unsqueeze', [inputs.mask, g.ints('mask_axis', [2])], 'mask_3d');
  const masked = g.op('Mul', [states, mask3d], 'masked_states');
  const summed = g.op('ReduceSum', [masked, g.ints('seq_axis', [1])], 'summed', { keepdims: 0 });
  const counts = g.op('ReduceSum', [inputs.mask, g.ints('seq_axis_c', [1])], 'token_counts', { keepdims: 1 });
  const divisor = g.op('Max', [counts, g.floats('min_count', [1])], 'divisor');
  const pooled = g.op('Div', [summed, divisor], 'pooled');
  return g.op('Tanh', [dense(g, pooled, weights.tanh, 'tanh_layer')], 'tanh_output');
}

/** x / sqrt(max(sum(x^2), 1e-12)) along the last axis, as the graph's l2_normalize. */
export function l2Normalize(g: OnnxGraphBuilder, x: string, name: string): string {
  const square = g.op('Mul', [x, x], `${name}/square`);
  const squares = g.op('ReduceSum', [square, g.ints(`${name}/axis`, [-1])], `${name}/sum`, { keepdims: 1 });
  const floored = g.op('Max', [squares, g.floats(`${name}/epsilon`, [L2_EPSILON])], `${name}/floored`);
  const norm = g.op('Sqrt', [floored], `${name}/norm`);
  return g.op('Mul', [x, g.op('Reciprocal', [norm], `${name}/inverse`)], name);
}
