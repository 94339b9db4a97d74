import { BundledEncoder } from '../../encoder/index.ts';
import type { ContinualDeps } from './types.ts';

/**
 * The product's encoder (USE-lite v0 on onnxruntime) and its trainer (TensorFlow.js), for runs on
 * real data. The trainer module is loaded lazily: it pulls in TensorFlow.js.
 */
export async function openRealDeps(
  cacheDir: string,
): Promise<Omit<ContinualDeps, 'onProgress'> & { close(): Promise<void> }> {
  const base = await BundledEncoder.load({ cacheDir });
  const { createUseLiteTrainer } = await import('../../adapt/train/index.ts');
  return { base, trainer: createUseLiteTrainer({ cacheDir }), close: () => base.close() };
}
