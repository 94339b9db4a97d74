/**
 * Every failure that crosses a layer boundary is a DriftlessError with a stable code, so callers
 * (CLI exit codes, HTTP status, the UI) branch on the code and never on message text.
 */
export const ERROR_CODES = {
  INVALID_ARGUMENT: { http: 400, exit: 2 },
  NOT_FOUND: { http: 404, exit: 3 },
  ALREADY_EXISTS: { http: 409, exit: 4 },
  CONFLICT: { http: 409, exit: 4 },
  LOCKED: { http: 423, exit: 5 },
  CANCELLED: { http: 499, exit: 130 },
  UNAUTHORIZED: { http: 401, exit: 6 },
  FORBIDDEN: { http: 403, exit: 6 },
  CORRUPT: { http: 500, exit: 7 },
  /** The search index's files are damaged: `driftless repair` rebuilds it from the notes. */
  INDEX_DAMAGED: { http: 500, exit: 11 },
  IO: { http: 500, exit: 8 },
  OFFLINE: { http: 503, exit: 9 },
  UNSUPPORTED: { http: 501, exit: 10 },
  INTERNAL: { http: 500, exit: 1 },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface SerializedError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export class DriftlessError extends Error {
  override readonly name = 'DriftlessError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toJSON(): SerializedError {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }

  static from(error: unknown): DriftlessError {
    if (error instanceof DriftlessError) return error;
    if (isAbortError(error)) return new DriftlessError('CANCELLED', 'The operation was cancelled.');
    const message = error instanceof Error ? error.message : String(error);
    return new DriftlessError('INTERNAL', message, undefined, { cause: error });
  }

  static fromJSON(value: SerializedError): DriftlessError {
    const code = value.code in ERROR_CODES ? value.code : 'INTERNAL';
    return new DriftlessError(code, value.message, value.details);
  }
}

export function isAbortError(error: unknown): boolean {
  return (
    (error instanceof DriftlessError && error.code === 'CANCELLED') ||
    (error instanceof Error && error.name === 'AbortError')
  );
}

/** Throws a CANCELLED error when the signal has fired; call between units of long work. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DriftlessError('CANCELLED', 'The operation was cancelled.');
}
