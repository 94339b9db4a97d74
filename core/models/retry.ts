import { setTimeout as sleep } from 'node:timers/promises';
import { DriftlessError, isAbortError } from '../base/index.ts';

/**
 * How a download tries again after a transient failure: at most `attempts` tries in all, waiting
 * `firstDelayMs` before the second and twice as long before each next one, up to `maxDelayMs`.
 */
export interface RetryPolicy {
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

/** Four tries over about 3.5 s: a dropped connection or a busy hub rarely lasts longer. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, firstDelayMs: 500, maxDelayMs: 8_000 };

/** A server's Retry-After longer than this is not waited for: the download fails and says why. */
const MAX_RETRY_AFTER_MS = 30_000;

/**
 * Network failures that a second try may not meet: a connection reset or cut mid-file, a timeout,
 * a DNS answer of "try again". A refused connection or an unknown host means offline: no retry.
 */
const TRANSIENT_NETWORK_REASONS = new Set([
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Whether `error` (as download.ts throws it) may pass on its own: a transient network failure
 * (OFFLINE with one of the reasons above) or an HTTP 429 or 5xx answer.
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof DriftlessError)) return false;
  const status = error.details?.status;
  if (typeof status === 'number') return status === 429 || status >= 500;
  return error.code === 'OFFLINE' && TRANSIENT_NETWORK_REASONS.has(String(error.details?.reason));
}

/**
 * Runs `attempt` until it succeeds, fails for good, or has been tried `policy.attempts` times; the
 * last failure is thrown. Each try starts afresh (a download resumes from its partial file).
 * @throws DriftlessError CANCELLED when `signal` aborts during a wait.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (tried >= policy.attempts || !isTransient(error)) throw error;
      await wait(delayBefore(tried + 1, policy, error), signal);
    }
  }
}

/** The wait before try number `next` (2, 3, ...), at least what a Retry-After header asked for. */
function delayBefore(next: number, policy: RetryPolicy, error: unknown): number {
  const backoff = Math.min(policy.firstDelayMs * 2 ** (next - 2), policy.maxDelayMs);
  const asked = (error as DriftlessError).details?.retryAfterMs;
  return typeof asked === 'number' ? Math.max(backoff, Math.min(asked, MAX_RETRY_AFTER_MS)) : backoff;
}

async function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch (error) {
    if (isAbortError(error)) throw downloadCancelled();
    throw error;
  }
}

export function downloadCancelled(): DriftlessError {
  return new DriftlessError(
    'CANCELLED',
    'The download was cancelled; it resumes where it stopped next time.',
  );
}

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date), if it says. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
