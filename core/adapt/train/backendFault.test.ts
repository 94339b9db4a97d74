import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriftlessError } from '../../base/index.ts';
import { BundledEncoder } from '../../encoder/index.ts';
import type { JobContext } from '../../jobs/index.ts';
import type { TrainingBackendChoice } from './backend.ts';
import { backendFault } from './backendFault.ts';
import { TEST_PAIRS, testContext, testOptions } from './testSupport.ts';
import { createUseLiteTrainer } from './trainer.ts';

describe('backendFault', () => {
  it('tells a backend that cannot go on from an error of the run itself', () => {
    const trap = new WebAssembly.RuntimeError('memory access out of bounds');
    expect(backendFault('wasm', trap)).toBe('wasm ran out of memory (memory access out of bounds)');
    expect(backendFault('tensorflow', new Error('OOM when allocating tensor with shape[4096,2048]'))).toMatch(
      /^tensorflow failed: OOM when allocating/,
    );
    expect(backendFault('webgpu', new Error('Device is lost'))).toBe('webgpu failed: Device is lost');
    expect(
      backendFault('wasm', new DriftlessError('CANCELLED', 'The operation was cancelled.')),
    ).toBeUndefined();
    expect(backendFault('wasm', new Error('No teacher embedding for a training text.'))).toBeUndefined();
  });
});

describe('a training run whose backend runs out of memory', () => {
  let dir: string;
  let from: BundledEncoder;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'driftless-backend-fault-'));
    from = await BundledEncoder.load({ cacheDir: path.join(dir, 'models'), threads: 1 });
  });

  afterAll(async () => {
    await from.close();
    await rm(dir, { recursive: true, force: true });
  });

  /**
   * After the first step, the job's checkpoint asks the wasm backend for a 40000 x 40000 matrix
   * (6.4 GB, beyond wasm's 4 GiB heap): a real out-of-memory trap of the real backend, in the
   * middle of a step, after which that backend's heap cannot be trusted.
   */
  function exhaustWasmAfterFirstStep(): JobContext {
    const context = testContext();
    let exhausted = false;
    return {
      ...context,
      checkpoint: async () => {
        if (!exhausted && context.reports.some((done) => done >= 1) && tf.getBackend() === 'wasm') {
          exhausted = true;
          tf.matMul(tf.ones([40_000, 1]), tf.ones([1, 40_000]));
        }
        await context.checkpoint();
      },
    };
  }

  // The cpu backend is plain JavaScript: its one step takes tens of seconds.
  it(
    'moves to the next backend, says why, and resumes from the last checkpoint',
    { timeout: 600_000 },
    async () => {
      const choices: TrainingBackendChoice[] = [];
      const trainer = createUseLiteTrainer({
        cacheDir: path.join(dir, 'models'),
        threads: 1,
        backends: ['wasm', 'cpu'],
        checkpointEvery: 1,
        onBackend: (choice) => choices.push(choice),
      });
      const candidate = await trainer.train(
        {
          from,
          pairs: TEST_PAIRS,
          options: testOptions({ steps: 2, batchSize: 2 }),
          checkpointDir: path.join(dir, 'run'),
        },
        exhaustWasmAfterFirstStep(),
      );
      try {
        expect(choices.map((choice) => choice.name)).toEqual(['wasm', 'cpu']);
        expect(choices[1]?.reason).toMatch(
          /training on plain JavaScript \(slow\) \(wasm ran out of memory .*; moved on from wasm\)$/,
        );
        expect(candidate.report.backend).toBe('cpu');
        expect(candidate.report.backendReason).toBe(choices[1]?.reason);
        expect(candidate.report.resumedFromStep).toBe(1);
        expect(candidate.report.steps).toBe(2);
        expect(Number.isFinite(candidate.report.lastLoss)).toBe(true);
      } finally {
        await candidate.close();
      }
    },
  );
});
