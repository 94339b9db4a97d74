import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { DriftlessError } from '../../base/index.ts';
import { chooseTrainingBackend, selectTrainingBackend } from './backend.ts';
import { swiftShaderConfigured, swiftShaderRequired } from './gpuTestEnv.ts';
import { probeWebGpu, softwareAdapterKind, type GpuAdapterInfo } from './webgpu.ts';

const require = createRequire(import.meta.url);
const installed = (name: string): boolean => {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
};
const nativeInstalled = installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu');
const realGpu = async (): Promise<boolean> => {
  const probe = await probeWebGpu();
  return probe.found && !softwareAdapterKind(probe.adapter);
};

describe('selectTrainingBackend', () => {
  it('starts the best backend that works, makes it current and says why', async () => {
    const choice = await chooseTrainingBackend();
    expect(['webgpu', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).toContain(choice.name);
    if (!nativeInstalled && !(await realGpu())) {
      expect(choice.name).toBe('wasm');
      expect(choice.reason).toMatch(/^GPU: .+, training on WebAssembly, 1 thread$/);
      expect(choice.skipped.map((s) => s.backend)).toEqual(['webgpu', 'tensorflow-gpu', 'tensorflow']);
    }
    const registered = choice.name === 'tensorflow-gpu' ? 'tensorflow' : choice.name;
    expect(tf.getBackend()).toBe(registered);
    // The backend computes.
    expect(Array.from(await tf.add(tf.tensor1d([1, 2]), 1).data())).toEqual([2, 3]);
  });

  it.skipIf(nativeInstalled)('lists every failed attempt when nothing in the list starts', async () => {
    const attempt = selectTrainingBackend(['tensorflow-gpu', 'tensorflow']);
    await expect(attempt).rejects.toBeInstanceOf(DriftlessError);
    const error = (await attempt.catch((e: unknown) => e)) as DriftlessError;
    expect(error.code).toBe('UNSUPPORTED');
    const attempts = error.details?.attempts as Array<{ backend: string; error: string }>;
    expect(attempts.map((a) => a.backend)).toEqual(['tensorflow-gpu', 'tensorflow']);
    expect(attempts.every((a) => a.error.length > 0 && a.error !== 'not tried')).toBe(true);
  });

  it('falls through to the next backend: cpu after failing native ones', async () => {
    expect(await selectTrainingBackend(['tensorflow', 'cpu'])).toBe(nativeInstalled ? 'tensorflow' : 'cpu');
    expect(await selectTrainingBackend(['wasm'])).toBe('wasm');
  });
});

describe('software GPU adapters', () => {
  const adapter = (info: Partial<GpuAdapterInfo>): GpuAdapterInfo => ({
    vendor: '',
    architecture: '',
    device: '',
    description: '',
    isFallbackAdapter: false,
    ...info,
  });

  it('tells SwiftShader, llvmpipe and fallback adapters from real GPUs', () => {
    const swiftShader = adapter({ vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true });
    expect(softwareAdapterKind(swiftShader)).toBe('SwiftShader');
    expect(softwareAdapterKind(adapter({ description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }))).toBe(
      "Mesa's llvmpipe",
    );
    expect(softwareAdapterKind(adapter({ isFallbackAdapter: true }))).toBe('a fallback adapter');
    const nvidia = adapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100' });
    expect(softwareAdapterKind(nvidia)).toBeUndefined();
  });

  it.runIf(swiftShaderRequired())('finds the SwiftShader adapter that CI configures', async () => {
    expect(swiftShaderConfigured()).toBe(true);
    const probe = await probeWebGpu();
    expect(probe.found && softwareAdapterKind(probe.adapter)).toBe('SwiftShader');
  });

  it.runIf(swiftShaderConfigured())('refuses SwiftShader for real training and says why', async () => {
    const choice = await chooseTrainingBackend(['webgpu', 'wasm']);
    expect(choice.name).toBe('wasm');
    expect(choice.skipped[0]?.backend).toBe('webgpu');
    expect(choice.skipped[0]?.error).toMatch(/is SwiftShader: software on the CPU, slower than training/);
    expect(choice.reason).toMatch(/^GPU: software only \(.+\), not used, training on WebAssembly, 1 thread$/);
    // Refusing is this call's policy, not a failure: the parity test may still ask for it.
    const forTests = await chooseTrainingBackend(['webgpu'], { allowSoftwareGpu: true });
    expect(forTests.name).toBe('webgpu');
    expect(forTests.reason).toMatch(/training on WebGPU \(software adapter, for testing\)$/);
    expect(Array.from(await tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).data())).toEqual([3, 3, 3, 3]);
    await selectTrainingBackend(['wasm']);
  });
});
