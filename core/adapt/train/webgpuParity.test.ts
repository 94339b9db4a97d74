import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundledEncoder } from '../../encoder/index.ts';
import { swiftShaderConfigured, swiftShaderRequired } from './gpuTestEnv.ts';
import { trainingParity } from './parity.ts';
import { TEST_PAIRS, testOptions } from './testSupport.ts';

/**
 * Tolerances of WebGPU (SwiftShader) against wasm after two AdamW steps at learning rate 1e-4
 * (measured: loss 3e-11 apart, weights at most 8.3e-5 apart, 0.36% of them more than 1e-6 apart).
 * The loss: 1e-5. The weights: Adam's first update is about lr * sign(g) per weight, so a weight
 * whose gradient is near zero may move either way on either backend, and two steps can put it at
 * most 2 * lr apart; the bound is 1.5 * lr. What catches a wrong gradient or update (a wrong
 * sign, a skipped variable) is the share of weights apart: at most 1%.
 */
const MAX_LOSS_DIFF = 1e-5;
const LEARNING_RATE = 1e-4;
const MAX_WEIGHT_DIFF = 1.5 * LEARNING_RATE;
const MAX_APART_SHARE = 0.01;

// SwiftShader runs a GPU's work on the CPU (a 16x512 by 512x2048 matMul takes about a second), so
// the batch is two short pairs without negatives: still the whole trainable block and the loss.
const PAIRS = TEST_PAIRS.slice(0, 2).map((pair) => ({ ...pair, negatives: [] }));

describe.runIf(swiftShaderConfigured() || swiftShaderRequired())('WebGPU training on SwiftShader', () => {
  let dir: string;
  let from: BundledEncoder;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'driftless-webgpu-parity-'));
    from = await BundledEncoder.load({ cacheDir: path.join(dir, 'models'), threads: 1 });
  });

  afterAll(async () => {
    await from.close();
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'matches wasm: two steps of the trainable block give the same loss and weights',
    { timeout: 900_000 },
    async () => {
      const parity = await trainingParity({
        from,
        pairs: PAIRS,
        options: testOptions({ steps: 2, batchSize: 2, negativesPerPair: 0, learningRate: LEARNING_RATE }),
        workDir: dir,
        backends: ['wasm', 'webgpu'],
        allowSoftwareGpu: true,
      });
      expect(parity.maxAbsWeightChange).toBeGreaterThan(LEARNING_RATE); // the steps moved the weights
      expect(parity.maxAbsLossDiff).toBeLessThanOrEqual(MAX_LOSS_DIFF);
      expect(parity.maxAbsWeightDiff).toBeLessThanOrEqual(MAX_WEIGHT_DIFF);
      expect(parity.weightsApartShare).toBeLessThanOrEqual(MAX_APART_SHARE);
    },
  );
});
