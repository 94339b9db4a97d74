import { LAYER_NORM_EPSILON } from './architecture.ts';
import type { AttentionWeights, Dense, LayerNormWeights, TransformerLayerWeights } from './architecture.ts';
import { float } from './onnxGraph.ts';
import type { OnnxGraphBuilder } from './onnxGraph.ts';

/** Where attention reads the batch and sequence sizes from, and how it masks padding. */
export interface AttentionContext {
  /** int64 [2]: batch size and sequence length. */
  readonly batchBySequence: string;
  /** [batch, 1, 1, seq] float with a large negative value at padded keys. */
  readonly paddingBias: string;
}

/**
 * x[rows, in] @ kernel + bias as one Gemm; a 1x1 convolution kernel [1, 1, in, out] is read as
 * [in, out]. The token stream stays 2-D ([batch * seq, width]) so every projection is a Gemm
 * with its bias fused.
 */
export function dense(g: OnnxGraphBuilder, x: string, weights: Dense, name: string): string {
  const kernel = g.weight(`${name}/kernel`, weights.kernel, weights.kernel.shape.slice(-2));
  const bias = g.weight(`${name}/bias`, weights.bias);
  return g.op('Gemm', [x, kernel, bias], name);
}

export function layerNorm(g: OnnxGraphBuilder, x: string, weights: LayerNormWeights, name: string): string {
  const scale = g.weight(`${name}/scale`, weights.scale);
  const bias = g.weight(`${name}/bias`, weights.bias);
  return g.op('LayerNormalization', [x, scale, bias], name, { axis: -1, epsilon: float(LAYER_NORM_EPSILON) });
}

/** Multi-head self-attention over the stream [batch * seq, width]. */
export function selfAttention(
  g: OnnxGraphBuilder,
  x: string,
  weights: AttentionWeights,
  context: AttentionContext,
  name: string,
): string {
  const width = (weights.qkv.bias.shape[0] ?? 0) / 3;
  const qkv = dense(g, x, weights.qkv, `${name}/qkv`);
  const split = g.ints(`${name}/split_sizes`, [width, width, width]);
  const [q = '', k = '', v = ''] = g.node('Split', [qkv, split], `${name}/split`, { axis: 1 }, 3);
  const headDims = g.ints(`${name}/head_dims`, [weights.heads, width / weights.heads]);
  const headShape = g.op('Concat', [context.batchBySequence, headDims], `${name}/head_shape`, { axis: 0 });
  const heads = (t: string, perm: number[], label: string): string => {
    const split4d = g.op('Reshape', [t, headShape], `${name}/${label}_heads`);
    return g.op('Transpose', [split4d], `${name}/${label}_t`, { perm });
  };
  const scale = g.floats(`${name}/query_scale`, [weights.queryScale]);
  const query = g.op('Mul', [heads(q, [0, 2, 1, 3], 'q'), scale], `${name}/q_scaled`);
  const logits = g.op('MatMul', [query, heads(k, [0, 2, 3, 1], 'k')], `${name}/logits`);
  const masked = g.op('Add', [logits, context.paddingBias], `${name}/masked_logits`);
  const probs = g.op('Softmax', [masked], `${name}/probs`, { axis: -1 });
  const attended = g.op('MatMul', [probs, heads(v, [0, 2, 1, 3], 'v')], `${name}/context`);
  const merged = g.op('Transpose', [attended], `${name}/context_t`, { perm: [0, 2, 1, 3] });
  const rows = g.op('Reshape', [merged, g.ints(`${name}/merged_shape`, [-1, width])], `${name}/merged`);
  return dense(g, rows, weights.output, `${name}/out`);
}

/** A pre-norm transformer layer as USE-lite computes it, on the stream [batch * seq, width]. */
export function transformerLayer(
  g: OnnxGraphBuilder,
  x: string,
  weights: TransformerLayerWeights,
  context: AttentionContext,
  name: string,
): string {
  const normed = layerNorm(g, x, weights.attentionNorm, `${name}/attention_norm`);
  const attended = selfAttention(g, normed, weights.attention, context, `${name}/attention`);
  const residual = weights.residual ? dense(g, x, weights.residual, `${name}/residual`) : x;
  const afterAttention = g.op('Add', [attended, residual], `${name}/attention_residual`);
  const ffnNormed = layerNorm(g, afterAttention, weights.ffnNorm, `${name}/ffn_norm`);
  const hidden = g.op('Relu', [dense(g, ffnNormed, weights.ffnIn, `${name}/ffn_in`)], `${name}/ffn_relu`);
  const ffn = dense(g, hidden, weights.ffnOut, `${name}/ffn_out`);
  return g.op('Add', [ffn, afterAttention], `${name}/ffn_residual`);
}
