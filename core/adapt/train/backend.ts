import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DriftlessError } from '../../base/index.ts';

/** A tfjs backend the trainer can run on, best first. */
export type TrainingBackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/** The default order: native CUDA, native CPU, WebAssembly (runs everywhere), plain JavaScript. */
export const BACKEND_PRIORITY: readonly TrainingBackendName[] = [
  'tensorflow-gpu',
  'tensorflow',
  'wasm',
  'cpu',
];

/** Backends that failed to start in this process, with why; they are not tried again. */
const failures = new Map<TrainingBackendName, string>();

/**
 * Starts the first tfjs backend of `priority` that works and returns its name. The native
 * bindings are optional dependencies that usually fail to install, so each is imported
 * dynamically; a failure is remembered for the life of the process. Throws UNSUPPORTED listing
 * every attempt when none starts.
 */
export async function selectTrainingBackend(
  priority: readonly TrainingBackendName[] = BACKEND_PRIORITY,
): Promise<TrainingBackendName> {
  for (const name of priority) {
    if (failures.has(name)) continue;
    try {
      await startBackend(name);
      return name;
    } catch (error) {
      failures.set(name, error instanceof Error ? error.message : String(error));
    }
  }
  const attempts = priority.map((name) => ({ backend: name, error: failures.get(name) ?? 'not tried' }));
  throw new DriftlessError(
    'UNSUPPORTED',
    `No TensorFlow.js backend could start: ${attempts.map((a) => `${a.backend} (${a.error})`).join('; ')}.`,
    { attempts },
  );
}

async function startBackend(name: TrainingBackendName): Promise<void> {
  if (name === 'tensorflow-gpu') await importOptional('@tensorflow/tfjs-node-gpu');
  if (name === 'tensorflow') await importOptional('@tensorflow/tfjs-node');
  if (name === 'wasm') await prepareWasm();
  // Both native packages register their backend under the name 'tensorflow'.
  const registered = name === 'tensorflow-gpu' ? 'tensorflow' : name;
  if (tf.getBackend() === registered) return;
  if (!(await tf.setBackend(registered))) throw new Error(`tf.setBackend('${registered}') returned false`);
  await tf.ready();
}

async function importOptional(specifier: string): Promise<void> {
  // A variable specifier keeps bundlers and the type checker from requiring the optional package.
  const module = specifier;
  await import(module);
}

let wasmPrepared = false;

/** Under Node the wasm backend must be told where its .wasm files lie, before it first starts. */
async function prepareWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (wasmPrepared) return;
  const require = createRequire(import.meta.url);
  wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
  // Worker threads of the threaded build do not start under plain Node: one thread, SIMD build.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  wasmPrepared = true;
}
