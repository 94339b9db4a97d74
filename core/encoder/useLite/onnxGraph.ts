import onnxProto from 'onnx-proto';
import type { WeightTensor } from './weights.ts';

const { onnx } = onnxProto;
type Onnx = typeof onnx;
export type ModelProto = InstanceType<Onnx['ModelProto']>;

export const OPSET = 17;

/** An attribute value; numbers are ints unless wrapped by `float()`. */
export type AttributeValue = number | number[] | { readonly float: number };

/** Marks an attribute value as a float. */
export function float(value: number): { readonly float: number } {
  return { float: value };
}

/** Collects nodes and initializers of one ONNX graph under readable, unique names. */
export class OnnxGraphBuilder {
  private readonly nodes: Array<InstanceType<Onnx['NodeProto']>> = [];
  private readonly initializers: Array<InstanceType<Onnx['TensorProto']>> = [];
  private readonly used = new Set<string>();

  /** Adds a float initializer and returns its name. */
  weight(name: string, tensor: WeightTensor, shape: readonly number[] = tensor.shape): string {
    const unique = this.uniqueName(name);
    const bytes = new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
    this.initializers.push(
      onnx.TensorProto.create({
        name: unique,
        dims: [...shape],
        dataType: onnx.TensorProto.DataType.FLOAT,
        rawData: bytes,
      }),
    );
    return unique;
  }

  /** A float constant (scalar when `values` has one element and no shape is given). */
  floats(
    name: string,
    values: readonly number[],
    shape: readonly number[] = values.length === 1 ? [] : [values.length],
  ): string {
    return this.weight(name, { shape, data: Float32Array.from(values) }, shape);
  }

  /** An int64 1-D constant, for shapes, axes and split sizes. */
  ints(name: string, values: readonly number[]): string {
    const unique = this.uniqueName(name);
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    const bytes = new Uint8Array(data.buffer);
    this.initializers.push(
      onnx.TensorProto.create({
        name: unique,
        dims: [values.length],
        dataType: onnx.TensorProto.DataType.INT64,
        rawData: bytes,
      }),
    );
    return unique;
  }

  /** Adds one node; returns its output names (`outputs` many). */
  node(
    op: string,
    inputs: readonly string[],
    name: string,
    attributes: Record<string, AttributeValue> = {},
    outputs = 1,
  ): string[] {
    const unique = this.uniqueName(name);
    const outputNames = Array.from({ length: outputs }, (_, i) =>
      outputs === 1 ? unique : `${unique}:${i}`,
    );
    const attribute = Object.entries(attributes).map(([key, value]) => toAttribute(key, value));
    this.nodes.push(
      onnx.NodeProto.create({ opType: op, input: [...inputs], output: outputNames, name: unique, attribute }),
    );
    return outputNames;
  }

  /** Shorthand for a node with one output. */
  op(
    op: string,
    inputs: readonly string[],
    name: string,
    attributes: Record<string, AttributeValue> = {},
  ): string {
    return this.node(op, inputs, name, attributes)[0] ?? name;
  }

  /** Serialises the graph as a model with the given dynamic-shaped inputs and outputs. */
  toModel(io: {
    inputs: readonly TensorSpec[];
    outputs: readonly TensorSpec[];
    metadata: Record<string, string>;
  }): Uint8Array {
    const graph = onnx.GraphProto.create({
      name: 'use_lite',
      node: this.nodes,
      initializer: this.initializers,
      input: io.inputs.map(valueInfo),
      output: io.outputs.map(valueInfo),
    });
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'driftless',
      opsetImport: [{ domain: '', version: OPSET }],
      graph,
      metadataProps: Object.entries(io.metadata).map(([key, value]) => ({ key, value })),
    });
    return onnx.ModelProto.encode(model).finish();
  }

  private uniqueName(name: string): string {
    let candidate = name;
    for (let i = 1; this.used.has(candidate); i++) candidate = `${name}_${i}`;
    this.used.add(candidate);
    return candidate;
  }
}

/** A graph input or output: element type and dims (strings are symbolic). */
export interface TensorSpec {
  readonly name: string;
  readonly type: 'float' | 'int64';
  readonly dims: ReadonlyArray<number | string>;
}

function valueInfo(spec: TensorSpec): InstanceType<Onnx['ValueInfoProto']> {
  const elemType = spec.type === 'float' ? onnx.TensorProto.DataType.FLOAT : onnx.TensorProto.DataType.INT64;
  const dim = spec.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return onnx.ValueInfoProto.create({ name: spec.name, type: { tensorType: { elemType, shape: { dim } } } });
}

function toAttribute(name: string, value: AttributeValue): InstanceType<Onnx['AttributeProto']> {
  const types = onnx.AttributeProto.AttributeType;
  if (Array.isArray(value)) return onnx.AttributeProto.create({ name, type: types.INTS, ints: value });
  if (typeof value === 'object')
    return onnx.AttributeProto.create({ name, type: types.FLOAT, f: value.float });
  return onnx.AttributeProto.create({ name, type: types.INT, i: value });
}
