import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { DriftlessError } from '../../base/index.ts';
import { selectTrainingBackend } from './backend.ts';

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

describe('selectTrainingBackend', () => {
  it('starts the best backend that works and makes it current', async () => {
    const name = await selectTrainingBackend();
    expect(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).toContain(name);
    if (!nativeInstalled) expect(name).toBe('wasm');
    expect(tf.getBackend()).toBe(name === 'tensorflow-gpu' ? 'tensorflow' : name);
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
