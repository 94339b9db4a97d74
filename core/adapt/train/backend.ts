import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DriftlessError } from '../../base/index.ts';
import { watchWebGpuDevice } from './backendFault.ts';
import { adapterName, probeWebGpu, softwareAdapterKind, type GpuAdapterInfo } from './webgpu.ts';

/** A tfjs backend the trainer can run on, best first. */
export type TrainingBackendName = 'webgpu' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/**
 * The default order: a real GPU of any vendor through WebGPU (Vulkan, Metal, D3D12), native CUDA 11
 * (tfjs-node-gpu, old NVIDIA machines only), native CPU, WebAssembly (runs everywhere), plain JavaScript.
 */
export const BACKEND_PRIORITY: readonly TrainingBackendName[] = [
  'webgpu',
  'tensorflow-gpu',
  'tensorflow',
  'wasm',
  'cpu',
];

/** A backend that was asked for and did not start, with why. */
export interface BackendAttempt {
  readonly backend: TrainingBackendName;
  readonly error: string;
}

/** The backend a run trains on and, for people, why that one. */
export interface TrainingBackendChoice {
  readonly name: TrainingBackendName;
  /** E.g. "GPU: none found, training on WebAssembly, 1 thread". */
  readonly reason: string;
  /** The backends before it that did not start. */
  readonly skipped: readonly BackendAttempt[];
}

export interface BackendSelectionOptions {
  /**
   * Train on a software WebGPU adapter (SwiftShader) too. Only the parity test and the benchmark
   * ask for it: such an adapter is far slower than the wasm backend.
   */
  readonly allowSoftwareGpu?: boolean;
}

/** Backends that failed to start in this process, or failed a run, with why; not tried again. */
const failures = new Map<TrainingBackendName, string>();

/**
 * Starts the first tfjs backend of `priority` that works and says why it was chosen. The native
 * bindings are optional dependencies that usually fail to install, so each is imported
 * dynamically; a failure is remembered for the life of the process. A software WebGPU adapter is
 * refused unless `allowSoftwareGpu`. Throws UNSUPPORTED listing every attempt when none starts.
 */
export async function chooseTrainingBackend(
  priority: readonly TrainingBackendName[] = BACKEND_PRIORITY,
  options: BackendSelectionOptions = {},
): Promise<TrainingBackendChoice> {
  const skipped: BackendAttempt[] = [];
  for (const name of priority) {
    const failed = failures.get(name);
    if (failed !== undefined) {
      skipped.push({ backend: name, error: failed });
      continue;
    }
    try {
      await startBackend(name, options);
      return { name, reason: await describeBackend(name, skipped), skipped };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // A refused software adapter is a policy of this call, not a failure of the process.
      if (!(error instanceof WebGpuRefused)) failures.set(name, message);
      skipped.push({ backend: name, error: message });
    }
  }
  throw new DriftlessError(
    'UNSUPPORTED',
    `No TensorFlow.js backend could start: ${skipped.map((a) => `${a.backend} (${a.error})`).join('; ')}.`,
    { attempts: skipped },
  );
}

/** `chooseTrainingBackend` when only the name matters. */
export async function selectTrainingBackend(
  priority: readonly TrainingBackendName[] = BACKEND_PRIORITY,
  options: BackendSelectionOptions = {},
): Promise<TrainingBackendName> {
  return (await chooseTrainingBackend(priority, options)).name;
}

/**
 * Takes a backend out of this process's choices after it failed a run (out of memory, device
 * lost), so the next choice moves on to the backend after it.
 */
export function retireTrainingBackend(name: TrainingBackendName, reason: string): void {
  failures.set(name, reason);
}

class WebGpuRefused extends Error {}

async function startBackend(name: TrainingBackendName, options: BackendSelectionOptions): Promise<void> {
  if (name === 'webgpu') await prepareWebGpu(options);
  if (name === 'tensorflow-gpu') await importOptional('@tensorflow/tfjs-node-gpu');
  if (name === 'tensorflow') await importOptional('@tensorflow/tfjs-node');
  if (name === 'wasm') await prepareWasm();
  // Both native packages register their backend under the name 'tensorflow'.
  const registered = name === 'tensorflow-gpu' ? 'tensorflow' : name;
  if (tf.getBackend() === registered) return;
  if (!(await tf.setBackend(registered))) throw new Error(`tf.setBackend('${registered}') returned false`);
  await tf.ready();
  if (name === 'webgpu') watchWebGpuDevice();
}

/** Checks the adapter before tfjs-backend-webgpu is imported: importing it registers the backend. */
async function prepareWebGpu(options: BackendSelectionOptions): Promise<void> {
  const probe = await probeWebGpu();
  if (!probe.found) throw new WebGpuRefused(`no GPU adapter: ${probe.reason}`);
  const software = softwareAdapterKind(probe.adapter);
  if (software && !options.allowSoftwareGpu)
    throw new WebGpuRefused(
      `the only adapter, ${adapterName(probe.adapter)}, is ${software}: software on the CPU, slower than training there directly`,
    );
  await import('@tensorflow/tfjs-backend-webgpu');
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

/** "GPU: <what was found>, training on <backend>". */
async function describeBackend(
  name: TrainingBackendName,
  skipped: readonly BackendAttempt[],
): Promise<string> {
  const probe = await probeIfAsked(name, skipped);
  const adapter = probe?.found ? probe.adapter : undefined;
  return `GPU: ${gpuFinding(name, probe, skipped)}, training on ${await backendLabel(name, adapter)}`;
}

async function probeIfAsked(name: TrainingBackendName, skipped: readonly BackendAttempt[]) {
  const asked = name === 'webgpu' || skipped.some((attempt) => attempt.backend === 'webgpu');
  return asked ? await probeWebGpu() : undefined;
}

function gpuFinding(
  name: TrainingBackendName,
  probe: Awaited<ReturnType<typeof probeWebGpu>> | undefined,
  skipped: readonly BackendAttempt[],
): string {
  if (name === 'webgpu' && probe?.found) return adapterName(probe.adapter);
  if (name === 'tensorflow-gpu') return 'CUDA through tfjs-node-gpu';
  if (!probe) return 'not asked for';
  if (!probe.found) return probe.reason;
  if (softwareAdapterKind(probe.adapter)) return `software only (${adapterName(probe.adapter)}), not used`;
  const failed = skipped.find((attempt) => attempt.backend === 'webgpu');
  return `${adapterName(probe.adapter)} did not start (${failed?.error ?? 'unknown error'})`;
}

async function backendLabel(name: TrainingBackendName, adapter: GpuAdapterInfo | undefined): Promise<string> {
  switch (name) {
    case 'webgpu':
      return `WebGPU${adapter && softwareAdapterKind(adapter) ? ' (software adapter, for testing)' : ''}`;
    case 'tensorflow-gpu':
      return 'TensorFlow (CUDA)';
    case 'tensorflow':
      return 'TensorFlow (native CPU)';
    case 'wasm': {
      const threads = await wasmThreads();
      return `WebAssembly, ${threads} thread${threads === 1 ? '' : 's'}`;
    }
    case 'cpu':
      return 'plain JavaScript (slow)';
  }
}

async function wasmThreads(): Promise<number> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  return wasm.getThreadsCount();
}
