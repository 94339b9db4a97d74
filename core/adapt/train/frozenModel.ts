import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256, writeFileAtomic } from '../../base/index.ts';
import type { FrozenWeights } from '../../encoder/index.ts';
import { frozenBlock, MAX_POSITIONS, sequenceInputs } from '../../encoder/useLite/blocks.ts';
import { BUILDER_VERSION, MODEL_IO } from '../../encoder/useLite/buildModel.ts';
import { OnnxGraphBuilder } from '../../encoder/useLite/onnxGraph.ts';

/** Names of the frozen model's outputs. */
export const FROZEN_IO = {
  /** [batch, seq, 512] token states after transformer layer 0. */
  states: 'token_states',
  /** [batch, seq] float, 1 at tokens and 0 at padding. */
  mask: 'token_mask',
} as const;

/** Bumped whenever the frozen graph below changes, so cached files are rebuilt. */
const FROZEN_BUILDER_VERSION = '1';

/**
 * The frozen part of USE-lite alone (embeddings, timing signal, layer 0) as an ONNX model whose
 * output is the token states the trainable block reads. Same inputs as the full model.
 */
export function buildFrozenOnnx(frozen: FrozenWeights): Uint8Array {
  const g = new OnnxGraphBuilder();
  const inputs = sequenceInputs(g, MODEL_IO.inputIds, MODEL_IO.attentionMask);
  const rows = frozenBlock(g, inputs, frozen);
  const width = g.ints('state_width', [frozen.layer0.ffnOut.bias.shape[0] ?? 0]);
  const stateShape = g.op('Concat', [inputs.batchBySequence, width], 'state_shape', { axis: 0 });
  g.op('Reshape', [rows, stateShape], FROZEN_IO.states);
  g.op('Identity', [inputs.mask], FROZEN_IO.mask);
  return g.toModel({
    inputs: [
      { name: MODEL_IO.inputIds, type: 'int64', dims: ['batch', 'sequence'] },
      { name: MODEL_IO.attentionMask, type: 'int64', dims: ['batch', 'sequence'] },
    ],
    outputs: [
      { name: FROZEN_IO.states, type: 'float', dims: ['batch', 'sequence', 512] },
      { name: FROZEN_IO.mask, type: 'float', dims: ['batch', 'sequence'] },
    ],
    metadata: { builder_version: BUILDER_VERSION, max_positions: String(MAX_POSITIONS), part: 'frozen' },
  });
}

/** The frozen model from `cacheDir`, built and stored there when missing or built from other weights. */
export async function loadOrBuildFrozenOnnx(
  cacheDir: string,
  sourceHash: string,
  frozen: () => FrozenWeights,
): Promise<Uint8Array> {
  const name = `frozen-${sha256(`${sourceHash}/${BUILDER_VERSION}/${FROZEN_BUILDER_VERSION}`).slice(0, 16)}.onnx`;
  const file = path.join(cacheDir, name);
  try {
    return new Uint8Array(await readFile(file));
  } catch {
    // Not built yet (or unreadable): build it now.
  }
  const bytes = buildFrozenOnnx(frozen());
  await writeFileAtomic(file, bytes);
  return bytes;
}
