import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { DriftlessError } from '../../base/index.ts';
import type { UseLiteSource } from './weights.ts';

const OUTPUT_NODE = 'module_apply_default/Encoder_en/hidden_layers/l2_normalize';
const HIDDEN_NODE = 'module_apply_default/Encoder_en/hidden_layers/tanh_layer_0/Tanh';

/** Output of the reference graph for one text. */
export interface ReferenceOutput {
  /** The graph's own unit-norm output. */
  readonly embedding: Float32Array;
  /** The tanh layer before normalisation. */
  readonly hidden: Float32Array;
}

/**
 * The original USE-lite TensorFlow.js graph, run as shipped: the test oracle for the generated
 * ONNX model and a slow fallback. Feeds token ids as the sparse batch the graph expects.
 */
export class UseLiteReference {
  private constructor(private readonly model: tf.GraphModel) {}

  /** Loads the graph from the shipped files on a tfjs backend ('wasm', about 15x faster here than 'cpu'). */
  static async load(source: UseLiteSource, backend: 'wasm' | 'cpu' = 'wasm'): Promise<UseLiteReference> {
    if (backend === 'wasm') pointWasmBackendAtItsFiles();
    if (!(await tf.setBackend(backend)))
      throw new DriftlessError('UNSUPPORTED', `The tfjs ${backend} backend did not start.`);
    await tf.ready();
    const weightSpecs = source.modelJson.weightsManifest.flatMap(
      (group) => group.weights,
    ) as tf.io.WeightsManifestEntry[];
    const bytes = source.weightBytes;
    const weightData = bytes.buffer.slice(
      bytes.byteOffset,
      bytes.byteOffset + bytes.byteLength,
    ) as ArrayBuffer;
    const handler: tf.io.IOHandler = {
      load: () =>
        Promise.resolve({ modelTopology: source.modelJson.modelTopology as object, weightSpecs, weightData }),
    };
    return new UseLiteReference(await tf.loadGraphModel(handler));
  }

  /** Runs a batch of token-id lists; the graph itself clips each to 128 tokens. */
  async run(batch: ReadonlyArray<readonly number[]>): Promise<ReferenceOutput[]> {
    // The graph sizes its dense batch from the largest row index, so an empty last row would
    // vanish: pad with a one-token row and drop its output.
    const padded = batch.length === 0 || batch.at(-1)?.length === 0 ? [...batch, [9]] : batch;
    const indices = padded.flatMap((ids, row) => ids.map((_, col) => [row, col]));
    const values = padded.flatMap((ids) => [...ids]);
    const inputs = {
      indices: tf.tensor2d(indices.flat(), [indices.length, 2], 'int32'),
      values: tf.tensor1d(values, 'int32'),
    };
    const outputs = (await this.model.executeAsync(inputs, [OUTPUT_NODE, HIDDEN_NODE])) as tf.Tensor[];
    const [embedding, hidden] = await Promise.all(outputs.map((t) => t.data() as Promise<Float32Array>));
    tf.dispose([inputs.indices, inputs.values, ...outputs]);
    return batch.map((_, i) => ({ embedding: rowOf(embedding, i), hidden: rowOf(hidden, i) }));
  }

  dispose(): void {
    this.model.dispose();
  }
}

let wasmPathsSet = false;

/** Under Node the wasm backend must be told where its .wasm files lie, once, before it starts. */
function pointWasmBackendAtItsFiles(): void {
  if (wasmPathsSet) return;
  const require = createRequire(import.meta.url);
  setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
  wasmPathsSet = true;
}

function rowOf(data: Float32Array | undefined, row: number): Float32Array {
  return (data ?? new Float32Array()).slice(row * 512, (row + 1) * 512);
}
