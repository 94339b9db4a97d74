import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';

/** onnxruntime execution providers the app knows how to ask for, by onnxruntime's own names. */
export type ExecutionProvider = 'cuda' | 'dml' | 'coreml' | 'webgpu' | 'cpu';

/** Which provider a session runs on, and why, for status and the training report. */
export interface InferenceRuntime {
  readonly provider: string;
  /** For people, e.g. "cuda: not installed (onnxruntime-node's CUDA libraries are missing); running on the CPU". */
  readonly reason: string;
}

/** A provider that was asked for and could not create the session. */
export interface ProviderAttempt {
  readonly provider: string;
  readonly error: string;
}

/** Names shown to people. */
const PROVIDER_LABELS: Readonly<Record<string, string>> = {
  cuda: 'CUDA (NVIDIA GPU)',
  dml: 'DirectML (GPU)',
  coreml: 'Core ML (Apple GPU / Neural Engine)',
  webgpu: 'WebGPU',
  cpu: 'the CPU',
};

/**
 * The providers worth trying on a platform, best first, as onnxruntime-node ships them: CUDA 12 on
 * Linux x64, DirectML on Windows, Core ML on macOS; the CPU everywhere. WebGPU is experimental in
 * onnxruntime-node and is only used when asked for.
 */
export function platformProviders(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): ExecutionProvider[] {
  if (platform === 'linux' && arch === 'x64') return ['cuda', 'cpu'];
  if (platform === 'win32') return ['dml', 'cpu'];
  if (platform === 'darwin') return ['coreml', 'cpu'];
  return ['cpu'];
}

type Ort = typeof import('onnxruntime-node');

/** A session and the provider it was created with. */
export interface ProviderSession {
  readonly session: InferenceSession;
  readonly runtime: InferenceRuntime;
}

/**
 * Creates a session on the first provider of `providers` that accepts the model, one provider at
 * a time, so that the provider which runs is known (given a list, onnxruntime silently drops the
 * ones that are missing). The CPU is always tried last, so an absent GPU provider never stops
 * search. A provider onnxruntime-node reports as not installed is skipped without trying.
 * @throws the CPU provider's own error when even it cannot load the model (a corrupt model).
 */
export async function createProviderSession(
  ort: Ort,
  model: string | Uint8Array,
  options: InferenceSession.SessionOptions,
  providers: readonly string[] = platformProviders(),
): Promise<ProviderSession> {
  const attempts: ProviderAttempt[] = [];
  for (const provider of [...new Set([...providers, 'cpu'])]) {
    const failed = failedProviders.get(provider) ?? notInstalledReason(ort, provider);
    if (failed) {
      attempts.push({ provider, error: failed });
      continue;
    }
    try {
      const session = await createSession(ort, model, sessionOptionsFor(provider, options));
      return { session, runtime: { provider, reason: describeChoice(provider, attempts) } };
    } catch (error) {
      if (provider === 'cpu') throw error;
      const message = error instanceof Error ? error.message : String(error);
      // Nodes a provider cannot run fall back to the CPU inside onnxruntime, so a failure here is
      // the provider itself (missing libraries, no device): it fails the same way for every model.
      failedProviders.set(provider, message);
      attempts.push({ provider, error: message });
    }
  }
  throw new Error('unreachable: the cpu provider either returns or throws');
}

/** Providers that could not start in this process, with onnxruntime's message. */
const failedProviders = new Map<string, string>();

/** DirectML needs sequential execution without memory patterns (onnxruntime's DirectML notes). */
function sessionOptionsFor(
  provider: string,
  options: InferenceSession.SessionOptions,
): InferenceSession.SessionOptions {
  const base = { ...options, executionProviders: [provider] };
  return provider === 'dml' ? { ...base, enableMemPattern: false, executionMode: 'sequential' } : base;
}

function createSession(
  ort: Ort,
  model: string | Uint8Array,
  options: InferenceSession.SessionOptions,
): Promise<InferenceSession> {
  // Two calls because the overloads of `create` do not accept the union.
  return typeof model === 'string'
    ? ort.InferenceSession.create(model, options)
    : ort.InferenceSession.create(model, options);
}

/**
 * onnxruntime-node lists the providers it was built with and whether their libraries are present
 * (`bundled: false` for CUDA when its install step was skipped, as this project's .npmrc does).
 */
function notInstalledReason(ort: Ort, provider: string): string | undefined {
  if (provider === 'cpu') return undefined;
  const list = (ort as { listSupportedBackends?: () => Array<{ name: string; bundled: boolean }> })
    .listSupportedBackends;
  if (!list) return undefined;
  const entry = list().find((backend) => backend.name === provider);
  if (!entry) return `not part of onnxruntime-node on ${process.platform}-${process.arch}`;
  if (!entry.bundled && !providerLibraryPresent(provider))
    return `not installed (onnxruntime-node's ${provider} libraries are missing)`;
  return undefined;
}

/**
 * Whether a provider that onnxruntime-node does not ship (CUDA: its install step downloads it) lies
 * beside the binding. Trying one that is absent makes onnxruntime print an error to stderr in every
 * process, so it is only tried when its library is there.
 */
function providerLibraryPresent(provider: string): boolean {
  if (provider !== 'cuda' || process.platform !== 'linux') return true;
  const binding = path.join(
    path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node')),
    '..',
    'bin',
    'napi-v6',
    process.platform,
    process.arch,
  );
  return fs.existsSync(path.join(binding, 'libonnxruntime_providers_cuda.so'));
}

/** "cuda: <why>; dml: <why>; running on the CPU" or "running on CUDA (NVIDIA GPU)". */
export function describeChoice(provider: string, attempts: readonly ProviderAttempt[]): string {
  const running = `running on ${PROVIDER_LABELS[provider] ?? provider}`;
  const failed = attempts.map((a) => `${PROVIDER_LABELS[a.provider] ?? a.provider}: ${firstLine(a.error)}`);
  return [...failed, running].join('; ');
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/** "onnxruntime-node (cpu)": the short form status has always shown, now with the real provider. */
export function runtimeLabel(runtime: InferenceRuntime): string {
  return `onnxruntime-node (${runtime.provider})`;
}
