import { describe, expect, it } from 'vitest';
import { DriftlessError } from '../base/index.ts';
import { isTransient, retryAfterMs, withRetries } from './retry.ts';

const offline = (reason: string) => new DriftlessError('OFFLINE', 'cannot download', { reason });
const answered = (status: number) => new DriftlessError('IO', `HTTP ${status}`, { status });

describe('which download failures are tried again', () => {
  it('resets, cuts, timeouts, 429 and 5xx are; refused connections, unknown hosts and 4xx are not', () => {
    for (const error of [offline('ECONNRESET'), offline('UND_ERR_SOCKET'), answered(429), answered(503)])
      expect(isTransient(error)).toBe(true);
    for (const error of [
      offline('ECONNREFUSED'),
      offline('ENOTFOUND'),
      answered(403),
      answered(416),
      new DriftlessError('CORRUPT', 'wrong hash'),
      new DriftlessError('CANCELLED', 'cancelled'),
      new Error('ECONNRESET'),
    ])
      expect(isTransient(error)).toBe(false);
  });

  it('reads Retry-After in seconds or as a date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });

  it('stops waiting to try again once cancelled, without another try', async () => {
    const controller = new AbortController();
    let tries = 0;
    let failedOnce!: () => void;
    const failed = new Promise<void>((resolve) => (failedOnce = resolve));
    // A wait far longer than any test: only the abort can end it.
    const retrying = withRetries(
      async () => {
        tries++;
        failedOnce();
        throw answered(503);
      },
      { attempts: 3, firstDelayMs: 600_000, maxDelayMs: 600_000 },
      controller.signal,
    );
    await failed;
    controller.abort();
    await expect(retrying).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(tries).toBe(1);
  });
});
