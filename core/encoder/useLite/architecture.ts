import { DriftlessError } from '../../base/index.ts';
import type { WeightMap, WeightTensor } from './weights.ts';

/** A dense projection: x[.., in] @ kernel[in, out] + bias[out]. */
export interface Dense {
  readonly kernel: WeightTensor;
  readonly bias: WeightTensor;
}

export interface LayerNormWeights {
  readonly scale: WeightTensor;
  readonly bias: WeightTensor;
}

export interface AttentionWeights {
  /** q, k and v side by side on the output axis, in that order. */
  readonly qkv: Dense;
  readonly output: Dense;
  readonly heads: number;
  /** Multiplies the queries before the dot product: 1 / sqrt(head size). */
  readonly queryScale: number;
}

/** One pre-norm transformer layer: x + attn(ln(x)), then y + ffn(ln(y)). */
export interface TransformerLayerWeights {
  readonly attentionNorm: LayerNormWeights;
  readonly attention: AttentionWeights;
  /** Projects the residual when the layer widens the stream (layer 0: 256 -> 512). */
  readonly residual?: Dense;
  readonly ffnNorm: LayerNormWeights;
  readonly ffnIn: Dense;
  readonly ffnOut: Dense;
}

/** Token embeddings, timing signal and layer 0: kept frozen when the encoder adapts. */
export interface FrozenWeights {
  readonly embeddings: WeightTensor;
  /** Inverse timescales of the sinusoidal timing signal, [1, width / 2]. */
  readonly inverseTimescales: WeightTensor;
  readonly layer0: TransformerLayerWeights;
}

/** Layer 1, the masked mean pooling and the tanh layer: what adaptation may retrain. */
export interface TrainableWeights {
  readonly layer1: TransformerLayerWeights;
  readonly tanh: Dense;
}

export const LAYER_NORM_EPSILON = 1e-6;
/** Added to attention logits at padded keys (the graph's attention_bias_ignore_padding). */
export const PADDING_BIAS = -1e9;
/** The l2_normalize floor on the squared norm. */
export const L2_EPSILON = 1e-12;

const APPLY = 'module_apply_default/Encoder_en/KonaTransformer/Encode';
const VARS = 'module/Encoder_en/KonaTransformer/Encode';

type WeightGetter = (name: string) => WeightTensor;

/** Splits the graph's weights into the frozen and the trainable part. */
export function useLiteWeights(weights: WeightMap): { frozen: FrozenWeights; trainable: TrainableWeights } {
  const get: WeightGetter = (name) => {
    const found = weights.get(name);
    if (!found)
      throw new DriftlessError('CORRUPT', `The bundled encoder lacks the weight ${name}.`, { name });
    return found;
  };
  return {
    frozen: {
      embeddings: get('module/Embeddings_en'),
      inverseTimescales: get(`${APPLY}/TransformerStack/Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1`),
      // The graph's own constants: 0.125 = 1/sqrt(64) and 0.0883883461356163 = 1/sqrt(128).
      layer0: layerWeights(get, 0, 0.125),
    },
    trainable: {
      layer1: layerWeights(get, 1, 0.0883883461356163),
      tanh: {
        kernel: get('module/Encoder_en/hidden_layers/tanh_layer_0/weights'),
        bias: get('module/Encoder_en/hidden_layers/tanh_layer_0/bias'),
      },
    },
  };
}

/** One transformer layer's weights, by the names the converted graph gives them. */
function layerWeights(get: WeightGetter, n: 0 | 1, queryScale: number): TransformerLayerWeights {
  const at = `${APPLY}/Layer_${n}/TransformerLayer`;
  const norm = (prefix: string): LayerNormWeights => ({
    scale: get(`${prefix}/layer_norm/layer_norm_scale/ConcatPartitions/concat`),
    bias: get(`${prefix}/layer_norm/layer_norm_bias/ConcatPartitions/concat`),
  });
  const conv = (name: string): Dense => ({
    kernel: get(`${VARS}/Layer_${n}/TransformerLayer/MultiheadAttention/${name}/kernel/part_0`),
    bias: get(`${at}/MultiheadAttention/${name}/bias/ConcatPartitions/concat`),
  });
  const ffn = (name: string): Dense => ({
    kernel: get(`${APPLY}/TransformerStack/Layer_${n}/TransformerLayer/FFN/${name}/Tensordot/Reshape_1`),
    bias: get(`${at}/FFN/${name}/bias/ConcatPartitions/concat`),
  });
  // Only layer 0 widens the stream (256 -> 512), so only it projects its residual.
  const residual =
    n === 0
      ? {
          residual: {
            kernel: get(`${at}/dense/kernel/ConcatPartitions/concat`),
            bias: get(`${at}/dense/bias/ConcatPartitions/concat`),
          },
        }
      : {};
  return {
    attentionNorm: norm(`${at}/layer_prepostprocess`),
    attention: {
      qkv: conv('qkv_transform_single'),
      output: conv('output_transform_single'),
      heads: 4,
      queryScale,
    },
    ...residual,
    ffnNorm: norm(`${at}/FFN/layer_prepostprocess`),
    ffnIn: ffn('conv1'),
    ffnOut: ffn('conv2'),
  };
}

/** The sinusoidal timing signal of positions [0, positions): sin of all timescales, then cos. */
export function timingSignal(inverseTimescales: WeightTensor, positions: number): WeightTensor {
  const half = inverseTimescales.data.length;
  const data = new Float32Array(positions * half * 2);
  for (let p = 0; p < positions; p++) {
    for (let k = 0; k < half; k++) {
      // float32 product as in the graph, then sin/cos.
      const angle = Math.fround(p * (inverseTimescales.data[k] ?? 0));
      data[p * half * 2 + k] = Math.sin(angle);
      data[p * half * 2 + half + k] = Math.cos(angle);
    }
  }
  return { shape: [positions, half * 2], data };
}
