import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../base/index.ts';
import { makeTempDir } from '../testing/index.ts';
import { downloadFile } from './download.ts';
import type { RetryPolicy } from './retry.ts';
import { startModelServer, type ModelServer } from './testing/modelServer.ts';

/** Downloads against a local server whose first answers fail; waits of 1 ms keep the test quick. */
const FILE = '/org/model/resolve/main/model.onnx';
const bytes = new Uint8Array(randomBytes(64 * 1024));
const quick: RetryPolicy = { attempts: 3, firstDelayMs: 1, maxDelayMs: 1 };
let server: ModelServer;
let temp: Awaited<ReturnType<typeof makeTempDir>>;

beforeEach(async () => {
  temp = await makeTempDir();
  server = await startModelServer(new Map([[FILE, bytes]]));
});
afterEach(async () => {
  await server.close();
  await temp.remove();
});

const target = () => path.join(temp.dir, 'model.onnx');
const download = (retry: RetryPolicy = quick) =>
  downloadFile({
    url: `${server.baseUrl}${FILE}`,
    target: target(),
    expectedSha256: sha256(bytes),
    expectedSize: bytes.length,
    retry,
  });
const requests = () => server.requests.filter((request) => request.path === FILE);

describe('downloadFile retries transient failures', () => {
  it('tries again after HTTP 503 and 429 answers and installs the file', async () => {
    server.faults.set(FILE, { kind: 'status', status: 503 });
    await expect(download()).resolves.toEqual({ sha256: sha256(bytes), size: bytes.length });
    server.faults.set(FILE, { kind: 'status', status: 429, headers: { 'retry-after': '0' } });
    await fs.rm(target());
    await expect(download()).resolves.toMatchObject({ size: bytes.length });
    expect(requests()).toHaveLength(4);
  });

  it('resumes a connection cut mid-file with a Range request, in the same call', async () => {
    const cutAt = Math.floor(bytes.length / 3);
    server.faults.set(FILE, { kind: 'cut', afterBytes: cutAt });
    await download();
    expect(sha256(await fs.readFile(target()))).toBe(sha256(bytes));
    const [first, second] = requests();
    expect(first?.range).toBeUndefined();
    expect(Number(second?.range?.match(/^bytes=(\d+)-$/)?.[1])).toBeGreaterThan(0);
  });

  it('gives up after the last attempt with the last answer', async () => {
    server.faults.set(FILE, { kind: 'status', status: 500, times: 10 });
    await expect(download()).rejects.toMatchObject({ code: 'IO', details: { status: 500 } });
    expect(requests()).toHaveLength(quick.attempts);
    await expect(fs.stat(target())).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('does not try again after an answer that will not change (403)', async () => {
    server.faults.set(FILE, { kind: 'status', status: 403, times: 10 });
    await expect(download()).rejects.toMatchObject({ code: 'IO', details: { status: 403 } });
    expect(requests()).toHaveLength(1);
  });
});
