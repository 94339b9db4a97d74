import { DriftlessError, type Progress, type SerializedError } from '../../base/index.ts';

/**
 * Messages between the app's thread and the heavy-work thread. Calls carry an id; while a call
 * runs, the worker can report progress, ask whether it may go on (pause and cancel are decided on
 * the app's thread, where the job queue lives) and ask the app's thread to embed texts with an
 * encoder that exists only there.
 */
export type ToWorker =
  | { type: 'call'; id: number; method: string; args: unknown }
  | { type: 'abort'; id: number }
  | { type: 'reply'; id: number; seq: number; value?: unknown; error?: SerializedError };

export type FromWorker =
  | { type: 'done'; id: number; value: unknown }
  | { type: 'failed'; id: number; error: SerializedError }
  | { type: 'report'; id: number; progress: Progress }
  | { type: 'ask'; id: number; seq: number; question: Question };

/** What a running call asks the app's thread. */
export type Question =
  /** JobContext.checkpoint(): resolves when the job may go on, fails when it was cancelled. */
  | { kind: 'checkpoint' }
  /** Embeds with the call's `from` encoder when the worker cannot open that encoder itself. */
  | { kind: 'embed'; side: 'queries' | 'documents'; texts: string[] }
  /** The trainable weights of the call's `from` encoder. */
  | { kind: 'trainable' }
  /** The tfjs backend the trainer started on, and why that one. */
  | { kind: 'backend'; name: string; reason: string };

/** An error as it crosses the thread boundary: code, message and plain details. */
export function toWire(error: unknown): SerializedError {
  const failure = DriftlessError.from(error);
  let details: Record<string, unknown> | undefined;
  try {
    details = failure.details
      ? (JSON.parse(JSON.stringify(failure.details)) as Record<string, unknown>)
      : undefined;
  } catch {
    details = undefined;
  }
  return { code: failure.code, message: failure.message, ...(details ? { details } : {}) };
}

export function fromWire(error: SerializedError): DriftlessError {
  return DriftlessError.fromJSON(error);
}

/** Vectors packed into one buffer, so that they cross threads as one transfer, not thousands of clones. */
export interface PackedVectors {
  data: Float32Array;
  dims: number;
}

export function packVectors(vectors: readonly Float32Array[], dims = vectors[0]?.length ?? 0): PackedVectors {
  const data = new Float32Array(vectors.length * dims);
  vectors.forEach((vector, i) => data.set(vector.subarray(0, dims), i * dims));
  return { data, dims };
}

/** Views onto the packed buffer, one per vector (no copy). */
export function unpackVectors(packed: PackedVectors): Float32Array[] {
  const { data, dims } = packed;
  const count = dims === 0 ? 0 : data.length / dims;
  return Array.from({ length: count }, (_, i) => data.subarray(i * dims, (i + 1) * dims));
}
