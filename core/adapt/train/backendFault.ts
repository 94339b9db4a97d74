import * as tf from '@tensorflow/tfjs';
import { DriftlessError } from '../../base/index.ts';
import type { TrainingBackendName } from './backend.ts';

/** Names WebGPU gives errors of the device rather than of the program (Dawn raises them as DOMExceptions). */
const GPU_ERROR_NAMES = new Set(['GPUOutOfMemoryError', 'OperationError', 'AbortError']);

/** Messages native TensorFlow and Dawn use for memory and device loss; they carry no codes. */
const FAULT_MESSAGE = /\bOOM\b|out of memory|device (is |was )?lost|failed to allocate/i;

let deviceLost: string | undefined;

/**
 * Starts watching the WebGPU device tfjs trains on: a lost device (driver reset, GPU removed,
 * another app's memory pressure) makes every later error of the run a backend fault.
 */
export function watchWebGpuDevice(): void {
  const backend = tf.findBackend('webgpu') as { device?: { lost?: Promise<{ message?: string }> } } | null;
  void backend?.device?.lost?.then((info) => {
    deviceLost = `the GPU device was lost${info.message ? ` (${info.message})` : ''}`;
  });
}

/**
 * Why `error` means `backend` cannot go on with this run (out of memory, device lost, a trapped
 * WebAssembly module), or undefined when the error belongs to the run itself (cancelled, bad
 * input, a bug). A fault retires the backend and the run resumes on the next one.
 */
export function backendFault(backend: TrainingBackendName, error: unknown): string | undefined {
  if (error instanceof DriftlessError) return undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (backend === 'webgpu' && deviceLost) return deviceLost;
  // A trap leaves the module's heap in an unknown state; tfjs's wasm kernels trap when malloc fails.
  if (error instanceof WebAssembly.RuntimeError) return `${backend} ran out of memory (${message})`;
  // What typed-array allocation throws when the JavaScript heap is exhausted.
  if (error instanceof RangeError) return `${backend} ran out of memory (${message})`;
  if (error instanceof Error && GPU_ERROR_NAMES.has(error.name)) return `${backend} failed: ${message}`;
  if (FAULT_MESSAGE.test(message)) return `${backend} failed: ${message}`;
  return undefined;
}
