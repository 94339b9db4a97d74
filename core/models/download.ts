import fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { DriftlessError, hashFilesStreamed, isAbortError } from '../base/index.ts';
import { DEFAULT_RETRY, downloadCancelled, retryAfterMs, withRetries, type RetryPolicy } from './retry.ts';

export interface FileDownload {
  url: string;
  /** Final path; bytes arrive in `<target>.partial` until the file is complete and verified. */
  target: string;
  expectedSha256: string | null;
  expectedSize: number | null;
  onBytes?: (done: number, total: number | undefined) => void;
  signal?: AbortSignal;
  /** Tries after a transient failure (connection reset, HTTP 429 or 5xx); default DEFAULT_RETRY. */
  retry?: RetryPolicy;
}

export interface FileDigest {
  sha256: string;
  size: number;
}

/** Hex sha256 and byte count of a file on disk, streamed. */
export async function digestFile(file: string, signal?: AbortSignal): Promise<FileDigest> {
  try {
    const { sha256, bytes } = await hashFilesStreamed([file], signal);
    return { sha256, size: bytes };
  } catch (error) {
    if (isAbortError(error)) throw new DriftlessError('CANCELLED', 'The operation was cancelled.');
    throw error;
  }
}

/**
 * Checks a complete file against the expected size and hash; deletes it when they differ.
 * @throws DriftlessError CORRUPT with the expected and actual values.
 */
export async function verifyFile(
  file: string,
  expected: { sha256: string | null; size: number | null; label: string },
  signal?: AbortSignal,
): Promise<FileDigest> {
  const actual = await digestFile(file, signal);
  const sizeWrong = expected.size !== null && actual.size !== expected.size;
  const hashWrong = expected.sha256 !== null && actual.sha256 !== expected.sha256;
  if (!sizeWrong && !hashWrong) return actual;
  await fs.rm(file, { force: true });
  throw new DriftlessError(
    'CORRUPT',
    `${expected.label} failed verification (expected ${expected.size ?? '?'} bytes, sha256 ${expected.sha256 ?? '?'}; got ${actual.size} bytes, sha256 ${actual.sha256}). The file was deleted.`,
    {
      file: expected.label,
      expected: { sha256: expected.sha256, size: expected.size },
      actual,
    },
  );
}

/** Maps a network failure to OFFLINE (the partial file stays, so a retry resumes). */
function networkError(url: string, error: unknown, signal: AbortSignal | undefined): DriftlessError {
  if (signal?.aborted || isAbortError(error)) return downloadCancelled();
  if (error instanceof DriftlessError) return error;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const reason = cause?.code ?? cause?.message ?? (error as Error).message;
  const host = new URL(url).host;
  return new DriftlessError(
    'OFFLINE',
    `Cannot download from ${host} (${reason}). Check the internet connection and try again; the download resumes.`,
    { url, reason },
    { cause: error },
  );
}

async function partialSize(partial: string, expectedSize: number | null): Promise<number> {
  const size = await fs.stat(partial).then(
    (s) => s.size,
    () => 0,
  );
  if (expectedSize !== null && size > expectedSize) {
    await fs.rm(partial, { force: true });
    return 0;
  }
  return size;
}

async function request(url: string, offset: number, signal: AbortSignal | undefined): Promise<Response> {
  const headers: Record<string, string> = offset > 0 ? { range: `bytes=${offset}-` } : {};
  try {
    return await fetch(url, { headers, signal, redirect: 'follow' });
  } catch (error) {
    throw networkError(url, error, signal);
  }
}

/** Where the body starts in the file: the resume offset for a matching 206, else 0 (start over). */
function startOffset(response: Response, offset: number): number {
  if (response.status !== 206) return 0;
  const match = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
  return match && Number(match[1]) === offset ? offset : 0;
}

/** Requests the rest of the file; a 416 (the partial no longer fits the file) starts over. */
async function openResponse(
  download: FileDownload,
  offset: number,
): Promise<{ response: Response; start: number }> {
  let response = await request(download.url, offset, download.signal);
  if (response.status === 416) {
    await response.body?.cancel();
    response = await request(download.url, 0, download.signal);
  }
  if (response.status === 404)
    throw new DriftlessError('NOT_FOUND', `${download.url} does not exist (HTTP 404).`, {
      url: download.url,
    });
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    const retryAfter = retryAfterMs(response.headers.get('retry-after'));
    throw new DriftlessError('IO', `${download.url} answered HTTP ${response.status}.`, {
      url: download.url,
      status: response.status,
      ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
    });
  }
  return { response, start: startOffset(response, offset) };
}

/** Above this many unwritten bytes, reading waits for the disk (backpressure). */
const MAX_PENDING_BYTES = 16 * 1024 * 1024;

/**
 * Appends the body to the partial file (opened for appending). When a connection drops, the fetch
 * body stream discards the chunks it still holds, so reading starts as soon as the headers arrive
 * and never waits on the disk for long: chunks are written in order behind a promise chain. Each
 * chunk is on disk before it counts as progress.
 */
async function writeBody(
  download: FileDownload,
  file: FileHandle,
  response: Response,
  start: number,
): Promise<void> {
  const length = Number(response.headers.get('content-length') ?? NaN);
  const total = Number.isFinite(length) ? start + length : (download.expectedSize ?? undefined);
  let done = start;
  let pending = 0;
  let writing: Promise<void> = start === 0 ? file.truncate(0) : Promise.resolve();
  let readError: unknown;
  download.onBytes?.(done, total);
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      pending += chunk.length;
      writing = writing.then(async () => {
        await file.write(chunk);
        pending -= chunk.length;
        done += chunk.length;
        download.onBytes?.(done, total);
      });
      if (pending > MAX_PENDING_BYTES) await writing;
    }
  } catch (error) {
    readError = error;
  }
  await writing;
  if (readError !== undefined) throw networkError(download.url, readError, download.signal);
}

/**
 * Downloads one file with resume (HTTP Range into `<target>.partial`), verification, and an
 * atomic rename to `target`. A transient failure (a connection reset or cut mid-file, HTTP 429 or
 * 5xx) is tried again after a pause, resuming where the bytes stopped (`download.retry`).
 * @throws DriftlessError OFFLINE (network; resumable), CANCELLED, CORRUPT (deleted), NOT_FOUND, IO.
 */
export async function downloadFile(download: FileDownload): Promise<FileDigest> {
  const partial = `${download.target}.partial`;
  await withRetries(
    () => appendToPartial(download, partial),
    download.retry ?? DEFAULT_RETRY,
    download.signal,
  );
  const digest = await verifyFile(
    partial,
    { sha256: download.expectedSha256, size: download.expectedSize, label: download.url },
    download.signal,
  );
  await fs.rename(partial, download.target);
  return digest;
}

/** One try: requests what the partial file lacks and appends it. */
async function appendToPartial(download: FileDownload, partial: string): Promise<void> {
  const offset = await partialSize(partial, download.expectedSize);
  const file = await fs.open(partial, 'a');
  try {
    const { response, start } = await openResponse(download, offset);
    await writeBody(download, file, response, start);
  } finally {
    await file.close();
  }
}
