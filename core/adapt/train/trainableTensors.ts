import { DriftlessError } from '../../base/index.ts';
import type { Dense, TrainableWeights, TransformerLayerWeights, WeightTensor } from '../../encoder/index.ts';

/** A trainable weight under a stable name, e.g. `layer1/attention/qkv/kernel`. */
export interface NamedTensor {
  readonly name: string;
  readonly tensor: WeightTensor;
}

/** The trainable weights as a flat list in a fixed order (the order of files and checkpoints). */
export function flattenTrainable(weights: TrainableWeights): NamedTensor[] {
  const dense = (prefix: string, d: Dense): NamedTensor[] => [
    { name: `${prefix}/kernel`, tensor: d.kernel },
    { name: `${prefix}/bias`, tensor: d.bias },
  ];
  const layer = (prefix: string, l: TransformerLayerWeights): NamedTensor[] => [
    { name: `${prefix}/attention_norm/scale`, tensor: l.attentionNorm.scale },
    { name: `${prefix}/attention_norm/bias`, tensor: l.attentionNorm.bias },
    ...dense(`${prefix}/attention/qkv`, l.attention.qkv),
    ...dense(`${prefix}/attention/output`, l.attention.output),
    ...(l.residual ? dense(`${prefix}/residual`, l.residual) : []),
    { name: `${prefix}/ffn_norm/scale`, tensor: l.ffnNorm.scale },
    { name: `${prefix}/ffn_norm/bias`, tensor: l.ffnNorm.bias },
    ...dense(`${prefix}/ffn_in`, l.ffnIn),
    ...dense(`${prefix}/ffn_out`, l.ffnOut),
  ];
  return [...layer('layer1', weights.layer1), ...dense('tanh', weights.tanh)];
}

/**
 * Trainable weights shaped like `template` with the values of `values` (by name). Head count and
 * query scale are constants of the architecture and come from the template.
 */
export function unflattenTrainable(
  template: TrainableWeights,
  values: ReadonlyMap<string, Float32Array>,
): TrainableWeights {
  const take = (name: string, like: WeightTensor): WeightTensor => {
    const data = values.get(name);
    if (!data || data.length !== like.data.length)
      throw new DriftlessError('CORRUPT', `The trainable weight ${name} is missing or has the wrong size.`, {
        name,
      });
    return { shape: like.shape, data };
  };
  const dense = (prefix: string, d: Dense): Dense => ({
    kernel: take(`${prefix}/kernel`, d.kernel),
    bias: take(`${prefix}/bias`, d.bias),
  });
  const l = template.layer1;
  const layer1: TransformerLayerWeights = {
    attentionNorm: {
      scale: take('layer1/attention_norm/scale', l.attentionNorm.scale),
      bias: take('layer1/attention_norm/bias', l.attentionNorm.bias),
    },
    attention: {
      ...l.attention,
      qkv: dense('layer1/attention/qkv', l.attention.qkv),
      output: dense('layer1/attention/output', l.attention.output),
    },
    ...(l.residual ? { residual: dense('layer1/residual', l.residual) } : {}),
    ffnNorm: {
      scale: take('layer1/ffn_norm/scale', l.ffnNorm.scale),
      bias: take('layer1/ffn_norm/bias', l.ffnNorm.bias),
    },
    ffnIn: dense('layer1/ffn_in', l.ffnIn),
    ffnOut: dense('layer1/ffn_out', l.ffnOut),
  };
  return { layer1, tanh: dense('tanh', template.tanh) };
}
