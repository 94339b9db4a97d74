import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
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

/**
 * Removes frozen-part models that earlier releases kept in `cacheDir` (about 17 MB each, and one was
 * left behind by every cancelled first run). Building the model takes milliseconds, so a run now
 * builds it in memory and writes nothing.
 */
export async function removeFrozenLeftovers(cacheDir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(cacheDir);
  } catch {
    return; // no folder yet
  }
  const stale = entries.filter((name) => /^frozen-[0-9a-f]{16}\.onnx(\..*\.tmp)?$/.test(name));
  await Promise.all(stale.map((name) => rm(path.join(cacheDir, name), { force: true })));
}
