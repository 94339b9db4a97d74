import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Encoder, TrainableWeights } from '../../encoder/index.ts';
import { sharedUseLiteParts } from './assets.ts';
import { selectTrainingBackend } from './backend.ts';
import { cosine, maxAbsDiff, tfjsEmbeddings } from './testSupport.ts';
import { loadVersionEncoder } from './versionFiles.ts';
import { writeUseLiteVersion } from './versionFiles.ts';

// tfjs (training) and onnxruntime (inference) on the same weights: max |diff| <= 1e-4, cosine >= 0.9999.
const MAX_ABS_DIFF = 1e-4;
const MIN_COSINE = 0.9999;

const TEXTS = [
  'Hello world.',
  '',
  'The mitochondria is the powerhouse of the cell; it produces ATP through oxidative phosphorylation.',
  Array.from({ length: 30 }, (_, i) => `sentence ${i} talks about notes.`).join(' '),
];

describe('TrainableBlock (tfjs) against the ONNX model', () => {
  let dir: string;

  beforeAll(async () => {
    await selectTrainingBackend();
    dir = await mkdtemp(path.join(os.tmpdir(), 'driftless-train-block-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const compare = async (weights: TrainableWeights, version: string): Promise<void> => {
    const parts = await sharedUseLiteParts();
    const versionDir = path.join(dir, version);
    await writeUseLiteVersion(versionDir, parts.frozen, weights);
    const encoder: Encoder = await loadVersionEncoder(versionDir, version);
    const expected = await encoder.embedDocuments(TEXTS);
    await encoder.close();
    const actual = await tfjsEmbeddings(TEXTS, weights);
    actual.forEach((vector, i) => {
      const want = expected[i] ?? new Float32Array();
      expect(maxAbsDiff(vector, want)).toBeLessThanOrEqual(MAX_ABS_DIFF);
      expect(cosine(vector, want)).toBeGreaterThanOrEqual(MIN_COSINE);
    });
  };

  it('agrees on the pretrained weights, in one padded batch of mixed lengths', async () => {
    await compare((await sharedUseLiteParts()).pretrained, 'v0');
  });

  it('agrees on changed weights (every trainable tensor perturbed)', async () => {
    const { pretrained } = await sharedUseLiteParts();
    const { flattenTrainable, unflattenTrainable } = await import('./trainableTensors.ts');
    const values = new Map(
      flattenTrainable(pretrained).map(({ name, tensor }) => [
        name,
        tensor.data.map((x, i) => x * (1 + 0.2 * Math.sin(i))),
      ]),
    );
    await compare(unflattenTrainable(pretrained, values), 'v1');
  });
});
