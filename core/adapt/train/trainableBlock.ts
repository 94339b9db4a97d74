import * as tf from '@tensorflow/tfjs';
import type { Dense, LayerNormWeights } from '../../encoder/useLite/architecture.ts';
import { L2_EPSILON, LAYER_NORM_EPSILON, PADDING_BIAS } from '../../encoder/useLite/architecture.ts';
import type { TrainableWeights, TransformerLayerWeights } from '../../encoder/index.ts';
import { matMul } from './matMul.ts';
import { flattenTrainable, unflattenTrainable } from './trainableTensors.ts';

interface DenseVars {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;
}

/**
 * The trainable part of USE-lite (transformer layer 1, masked mean pooling, the tanh layer and
 * L2 normalisation) as TensorFlow.js variables. The math mirrors the ONNX `trainableBlock` of the
 * bundled encoder op for op: pre-norm layer norm (epsilon 1e-6), attention with the -1e9 padding
 * bias, ReLU feed-forward, residuals, mean over real tokens, tanh, l2 with a 1e-12 floor.
 *
 * It reads the token states of the frozen layer 0, never stored sentence vectors: a new version
 * changes what layer 1 does to every token, so moving a chunk into a new version means running the
 * transformer over its text again. No stored vector can shortcut re-embedding.
 */
export class TrainableBlock {
  /** The variables in `flattenTrainable` order, by the same names. */
  readonly variables: ReadonlyMap<string, tf.Variable>;

  private constructor(
    private readonly template: TrainableWeights,
    variables: Map<string, tf.Variable>,
  ) {
    this.variables = variables;
  }

  /** Variables initialised from `weights`; convolution kernels [1, 1, in, out] become [in, out]. */
  static fromWeights(weights: TrainableWeights): TrainableBlock {
    const variables = new Map<string, tf.Variable>();
    for (const { name, tensor } of flattenTrainable(weights)) {
      const shape = tensor.shape.length > 2 ? tensor.shape.slice(-2) : tensor.shape;
      // Unnamed: tfjs variable names are global, and several blocks may live in one process.
      variables.set(
        name,
        tf.tidy(() => tf.variable(tf.tensor(tensor.data, [...shape], 'float32'), true)),
      );
    }
    return new TrainableBlock(weights, variables);
  }

  /** Unit-norm embeddings [batch, 512] of token states [batch, seq, 512] with mask [batch, seq]. */
  embed(states: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
    return l2Normalize(this.hidden(states, mask));
  }

  /** The tanh layer's output [batch, 512], before normalisation. */
  hidden(states: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
    const [batch = 0, seq = 0, width = 0] = states.shape;
    const rows = states.reshape([batch * seq, width]) as tf.Tensor2D;
    const paddingBias = tf.sub(1, mask).mul(PADDING_BIAS).reshape([batch, 1, 1, seq]) as tf.Tensor4D;
    const layer = this.layer('layer1', this.template.layer1);
    const out = transformerLayer(rows, layer, paddingBias, batch, seq);
    const summed = out.reshape([batch, seq, width]).mul(mask.expandDims(2)).sum(1);
    const pooled = summed.div(mask.sum(1, true).maximum(1)) as tf.Tensor2D;
    return dense(pooled, this.dense('tanh')).tanh();
  }

  /** The current values as TrainableWeights in the bundled encoder's shapes. */
  async read(): Promise<TrainableWeights> {
    const values = new Map<string, Float32Array>();
    for (const [name, variable] of this.variables) values.set(name, (await variable.data()) as Float32Array);
    return unflattenTrainable(this.template, values);
  }

  /** Overwrites the variables with `values` (by name). */
  assign(values: ReadonlyMap<string, Float32Array>): void {
    for (const [name, variable] of this.variables) {
      const data = values.get(name);
      if (data) tf.tidy(() => variable.assign(tf.tensor(data, variable.shape, 'float32')));
    }
  }

  dispose(): void {
    for (const variable of this.variables.values()) variable.dispose();
  }

  private get(name: string): tf.Variable {
    const variable = this.variables.get(name);
    if (!variable) throw new Error(`No trainable variable ${name}.`);
    return variable;
  }

  private dense(prefix: string): DenseVars {
    return { kernel: this.get(`${prefix}/kernel`), bias: this.get(`${prefix}/bias`) };
  }

  private norm(prefix: string): NormVars {
    return { scale: this.get(`${prefix}/scale`), bias: this.get(`${prefix}/bias`) };
  }

  private layer(prefix: string, weights: TransformerLayerWeights): LayerVars {
    return {
      attentionNorm: this.norm(`${prefix}/attention_norm`),
      qkv: this.dense(`${prefix}/attention/qkv`),
      output: this.dense(`${prefix}/attention/output`),
      residual: weights.residual ? this.dense(`${prefix}/residual`) : undefined,
      ffnNorm: this.norm(`${prefix}/ffn_norm`),
      ffnIn: this.dense(`${prefix}/ffn_in`),
      ffnOut: this.dense(`${prefix}/ffn_out`),
      heads: weights.attention.heads,
      queryScale: weights.attention.queryScale,
    };
  }
}

type NormVars = { readonly [K in keyof LayerNormWeights]: tf.Variable };

interface LayerVars {
  readonly attentionNorm: NormVars;
  readonly qkv: DenseVars;
  readonly output: DenseVars;
  readonly residual: DenseVars | undefined;
  readonly ffnNorm: NormVars;
  readonly ffnIn: DenseVars;
  readonly ffnOut: DenseVars;
  readonly heads: number;
  readonly queryScale: number;
}

/** Satisfied by both the weight records and the variables: only the field names matter. */
export type DenseLike = { readonly [K in keyof Dense]: tf.Tensor };

function dense(x: tf.Tensor2D, d: DenseLike): tf.Tensor2D {
  return matMul(x, d.kernel as tf.Tensor2D).add(d.bias);
}

/** ONNX LayerNormalization over the last axis: (x - mean) / sqrt(var + eps) * scale + bias. */
function layerNorm(x: tf.Tensor2D, norm: NormVars): tf.Tensor2D {
  const centered = x.sub(x.mean(-1, true));
  const variance = centered.square().mean(-1, true);
  return centered.div(variance.add(LAYER_NORM_EPSILON).sqrt()).mul(norm.scale).add(norm.bias);
}

function selfAttention(
  x: tf.Tensor2D,
  layer: LayerVars,
  paddingBias: tf.Tensor4D,
  batch: number,
  seq: number,
): tf.Tensor2D {
  const qkv = dense(x, layer.qkv);
  const width = (qkv.shape[1] ?? 0) / 3;
  const [q, k, v] = tf.split(qkv, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  const heads = (t: tf.Tensor2D): tf.Tensor4D =>
    t.reshape([batch, seq, layer.heads, width / layer.heads]).transpose([0, 2, 1, 3]);
  const keysT = k
    .reshape([batch, seq, layer.heads, width / layer.heads])
    .transpose([0, 2, 3, 1]) as tf.Tensor4D;
  const logits = matMul(heads(q).mul(layer.queryScale) as tf.Tensor4D, keysT).add(paddingBias);
  const attended = matMul(tf.softmax(logits, -1) as tf.Tensor4D, heads(v));
  const merged = attended.transpose([0, 2, 1, 3]).reshape([batch * seq, width]) as tf.Tensor2D;
  return dense(merged, layer.output);
}

function transformerLayer(
  x: tf.Tensor2D,
  layer: LayerVars,
  paddingBias: tf.Tensor4D,
  batch: number,
  seq: number,
): tf.Tensor2D {
  const attended = selfAttention(layerNorm(x, layer.attentionNorm), layer, paddingBias, batch, seq);
  const residual = layer.residual ? dense(x, layer.residual) : x;
  const afterAttention: tf.Tensor2D = attended.add(residual);
  const hidden: tf.Tensor2D = dense(layerNorm(afterAttention, layer.ffnNorm), layer.ffnIn).relu();
  return dense(hidden, layer.ffnOut).add(afterAttention);
}

/** x / sqrt(max(sum(x^2), 1e-12)) along the last axis, as the bundled model normalises. */
export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return x.div(x.square().sum(-1, true).maximum(L2_EPSILON).sqrt());
}
