import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundledEncoder } from './bundledEncoder.ts';
import { describeChoice, platformProviders, runtimeLabel } from './executionProviders.ts';
import { maxAbsDiff } from './useLite/testTexts.ts';

/** A provider onnxruntime-node does not ship on this platform (DirectML exists only on Windows). */
const ABSENT = process.platform === 'win32' ? 'coreml' : 'dml';
const TEXTS = ['how do plants make food', 'Photosynthesis turns light into sugar inside leaves.'];

describe('platformProviders', () => {
  it('tries the GPU provider onnxruntime-node ships for the platform, then the CPU', () => {
    expect(platformProviders('linux', 'x64')).toEqual(['cuda', 'cpu']);
    expect(platformProviders('linux', 'arm64')).toEqual(['cpu']);
    expect(platformProviders('win32', 'x64')).toEqual(['dml', 'cpu']);
    expect(platformProviders('darwin', 'arm64')).toEqual(['coreml', 'cpu']);
  });
});

describe('execution provider fallback (the bundled encoder)', () => {
  let cacheDir: string;
  let onCpu: BundledEncoder;

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(os.tmpdir(), 'driftless-providers-'));
    onCpu = await BundledEncoder.load({ cacheDir, threads: 1, executionProviders: ['cpu'] });
  });

  afterAll(async () => {
    await onCpu.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('reports the CPU when the CPU is asked for', () => {
    expect(onCpu.runtime).toEqual({ provider: 'cpu', reason: 'running on the CPU' });
    expect(runtimeLabel(onCpu.runtime)).toBe('onnxruntime-node (cpu)');
  });

  it('runs on the CPU when an absent provider is asked for, and says why', async () => {
    const encoder = await BundledEncoder.load({ cacheDir, threads: 1, executionProviders: [ABSENT] });
    try {
      expect(encoder.runtime.provider).toBe('cpu');
      expect(encoder.runtime.reason).toMatch(/not part of onnxruntime-node on .*; running on the CPU$/);
      expect(encoder.runtime.reason).toContain(ABSENT === 'dml' ? 'DirectML' : 'Core ML');
      // It computes the same vectors as the encoder opened on the CPU directly.
      const [fallback, direct] = [await encoder.embedQueries(TEXTS), await onCpu.embedQueries(TEXTS)];
      fallback.forEach((vector, i) => expect(maxAbsDiff(vector, direct[i] as Float32Array)).toBe(0));
    } finally {
      await encoder.close();
    }
  });

  it("falls back past the platform's GPU provider when its libraries are missing", async () => {
    // The project's .npmrc skips onnxruntime-node's CUDA download, so CUDA is absent on CI machines;
    // on a machine with a GPU provider installed this is the provider that runs.
    const encoder = await BundledEncoder.load({ cacheDir, threads: 1 });
    try {
      const gpu = platformProviders()[0] as string;
      expect([gpu, 'cpu']).toContain(encoder.runtime.provider);
      if (encoder.runtime.provider === 'cpu' && gpu !== 'cpu')
        expect(encoder.runtime.reason).toMatch(/^[^;]+: .+; running on the CPU$/);
      expect((await encoder.embedQueries(TEXTS))[0]).toHaveLength(512);
    } finally {
      await encoder.close();
    }
  });
});

describe('describeChoice', () => {
  it('lists every provider that failed before the one that runs', () => {
    const reason = describeChoice('cpu', [
      { provider: 'cuda', error: 'Failed to load shared library\nstack...' },
      { provider: 'webgpu', error: 'no adapter' },
    ]);
    expect(reason).toBe(
      'CUDA (NVIDIA GPU): Failed to load shared library; WebGPU: no adapter; running on the CPU',
    );
  });
});
