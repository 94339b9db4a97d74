import onnxProto from 'onnx-proto';
import { seededRandom } from '../../base/index.ts';
import { randomWeights } from './randomWeights.ts';

const { onnx } = onnxProto;
type Node = InstanceType<typeof onnx.NodeProto>;
type Tensor = InstanceType<typeof onnx.TensorProto>;

export interface TinyBertGraphOptions {
  vocabularySize: number;
  hiddenSize: number;
  maxPositions: number;
  seed: number;
  /** When false the graph has no `token_type_ids` input (like some exported models). */
  withTokenTypes: boolean;
  /** When true the graph also outputs `sentence_embedding` [batch, hidden]: the unmasked token mean. */
  withSentenceEmbedding: boolean;
}

function floatTensor(name: string, dims: number[], values: Float32Array): Tensor {
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: onnx.TensorProto.DataType.FLOAT,
    rawData: new Uint8Array(values.buffer.slice(0)),
  });
}

function int64Tensor(name: string, dims: number[], values: number[]): Tensor {
  const data = BigInt64Array.from(values.map((v) => BigInt(v)));
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: onnx.TensorProto.DataType.INT64,
    rawData: new Uint8Array(data.buffer),
  });
}

function node(
  opType: string,
  input: string[],
  output: string[],
  attributes: Record<string, number | number[]> = {},
): Node {
  const attribute = Object.entries(attributes).map(([name, value]) =>
    Array.isArray(value)
      ? onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: value })
      : onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i: value }),
  );
  return onnx.NodeProto.create({ opType, input, output, name: output[0], attribute });
}

function valueInfo(name: string, elemType: number, dims: (string | number)[]) {
  const dim = dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType, shape: { dim } } } });
}

/** Token, type and position embeddings summed into `x` [batch, seq, hidden]. */
function embeddingNodes(withTokenTypes: boolean): Node[] {
  const nodes = [
    node('Gather', ['word_embeddings', 'input_ids'], ['word']),
    node('Shape', ['input_ids'], ['ids_shape']),
    node('Gather', ['ids_shape', 'one_i64'], ['seq_len'], { axis: 0 }),
    node('Range', ['zero_i64', 'seq_len', 'one_i64'], ['positions']),
    node('Gather', ['position_embeddings', 'positions'], ['position']),
  ];
  if (!withTokenTypes) return [...nodes, node('Add', ['word', 'position'], ['x'])];
  return [
    ...nodes,
    node('Gather', ['type_embeddings', 'token_type_ids'], ['type']),
    node('Add', ['word', 'type'], ['word_type']),
    node('Add', ['word_type', 'position'], ['x']),
  ];
}

/** One single-head self-attention layer whose keys are masked by `attention_mask`, then tanh. */
function attentionNodes(): Node[] {
  return [
    node('MatMul', ['x', 'w_q'], ['q']),
    node('MatMul', ['x', 'w_k'], ['k']),
    node('MatMul', ['x', 'w_v'], ['v']),
    node('Transpose', ['k'], ['k_t'], { perm: [0, 2, 1] }),
    node('MatMul', ['q', 'k_t'], ['scores_raw']),
    node('Mul', ['scores_raw', 'scale'], ['scores_scaled']),
    node('Cast', ['attention_mask'], ['mask_f'], { to: onnx.TensorProto.DataType.FLOAT }),
    node('Unsqueeze', ['mask_f', 'axis_one'], ['mask_b']),
    node('Sub', ['one_f', 'mask_b'], ['mask_inv']),
    node('Mul', ['mask_inv', 'neg_large'], ['mask_bias']),
    node('Add', ['scores_scaled', 'mask_bias'], ['scores']),
    node('Softmax', ['scores'], ['weights'], { axis: -1 }),
    node('MatMul', ['weights', 'v'], ['context']),
    node('MatMul', ['context', 'w_o'], ['attended']),
    node('Add', ['x', 'attended'], ['residual']),
    node('Tanh', ['residual'], ['last_hidden_state']),
  ];
}

function initializers(options: TinyBertGraphOptions): Tensor[] {
  const { vocabularySize: v, hiddenSize: h, maxPositions: p } = options;
  const random = seededRandom(options.seed);
  const matrix = (name: string) => floatTensor(name, [h, h], randomWeights(random, h * h, 1 / Math.sqrt(h)));
  return [
    floatTensor('word_embeddings', [v, h], randomWeights(random, v * h, 1)),
    floatTensor('position_embeddings', [p, h], randomWeights(random, p * h, 0.3)),
    ...(options.withTokenTypes
      ? [floatTensor('type_embeddings', [2, h], randomWeights(random, 2 * h, 0.3))]
      : []),
    matrix('w_q'),
    matrix('w_k'),
    matrix('w_v'),
    matrix('w_o'),
    floatTensor('scale', [], Float32Array.of(1 / Math.sqrt(h))),
    floatTensor('one_f', [], Float32Array.of(1)),
    floatTensor('neg_large', [], Float32Array.of(-10000)),
    int64Tensor('zero_i64', [], [0]),
    int64Tensor('one_i64', [], [1]),
    int64Tensor('axis_one', [1], [1]),
  ];
}

/** Serialised ONNX bytes of a tiny BERT-like encoder with output `last_hidden_state` [batch, seq, hidden]. */
export function tinyBertOnnxBytes(options: TinyBertGraphOptions): Uint8Array {
  const int64 = onnx.TensorProto.DataType.INT64;
  const float = onnx.TensorProto.DataType.FLOAT;
  const inputNames = ['input_ids', 'attention_mask', ...(options.withTokenTypes ? ['token_type_ids'] : [])];
  const pooled = options.withSentenceEmbedding
    ? {
        nodes: [
          node('ReduceMean', ['last_hidden_state'], ['sentence_embedding'], { axes: [1], keepdims: 0 }),
        ],
        outputs: [valueInfo('sentence_embedding', float, ['batch', options.hiddenSize])],
      }
    : { nodes: [], outputs: [] };
  const graph = onnx.GraphProto.create({
    name: 'tiny_bert',
    node: [...embeddingNodes(options.withTokenTypes), ...attentionNodes(), ...pooled.nodes],
    initializer: initializers(options),
    input: inputNames.map((name) => valueInfo(name, int64, ['batch', 'sequence'])),
    output: [
      valueInfo('last_hidden_state', float, ['batch', 'sequence', options.hiddenSize]),
      ...pooled.outputs,
    ],
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'driftless-tests',
    opsetImport: [{ domain: '', version: 13 }],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}
