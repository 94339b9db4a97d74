import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DigestCache, hashFilesStreamed } from '../../base/index.ts';
import type { HashFiles } from '../../base/index.ts';
import { loadOrBuildV0 } from './modelCache.ts';
import type { V0Source } from './modelCache.ts';
import { readUseLiteSource, useLiteModelDir, useLiteSourceHash } from './weights.ts';
import type { UseLiteSource } from './weights.ts';

/** A clock a minute ahead, so a model the test just built counts as settled in the digest cache. */
const later = () => Date.now() + 60_000;

describe('loadOrBuildV0', () => {
  let dir: string;
  let hashed: string[];
  let digests: DigestCache;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'driftless-model-cache-'));
    hashed = [];
    const hashFiles: HashFiles = (paths) => {
      hashed.push(...paths.map((p) => path.basename(p)));
      return hashFilesStreamed(paths);
    };
    digests = await DigestCache.open(path.join(dir, 'digests.json'), { hashFiles, now: later });
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const v0Source = (source: UseLiteSource, hash = source.hash): V0Source => ({
    hash,
    read: () => Promise.resolve(source),
  });

  it('builds once, then reuses the model while its source hash matches, hashing it once', async () => {
    const source = await readUseLiteSource();
    const first = await loadOrBuildV0(dir, v0Source(source), digests);
    expect(first.built).toBe(true);
    const second = await loadOrBuildV0(dir, v0Source(source), digests);
    const third = await loadOrBuildV0(dir, v0Source(source), digests);
    expect([second.built, third.built]).toEqual([false, false]);
    // A cached model is handed to onnxruntime as its path; the built one as bytes, the same.
    expect(third.model).toBe(path.join(dir, 'encoder-v0.onnx'));
    expect(Buffer.compare(await readFile(third.path), Buffer.from(first.model))).toBe(0);
    expect(hashed).toEqual(['encoder-v0.onnx']);
    expect(JSON.parse(await readFile(path.join(dir, 'encoder-v0.json'), 'utf8'))).toMatchObject({
      sourceHash: source.hash,
    });
  });

  it('rebuilds when the weights changed or the file is damaged', async () => {
    const source = await readUseLiteSource();
    await loadOrBuildV0(dir, v0Source(source), digests);
    expect((await loadOrBuildV0(dir, v0Source(source, 'other-weights'), digests)).built).toBe(true);
    await writeFile(path.join(dir, 'encoder-v0.onnx'), 'damaged');
    const repaired = await loadOrBuildV0(dir, v0Source(source, 'other-weights'), digests);
    expect(repaired.built).toBe(true);
    expect((await stat(repaired.path)).size).toBeGreaterThan(1_000_000);
  });

  it('refuses a model damaged after its digest was remembered: same size, new mtime', async () => {
    const source = await readUseLiteSource();
    const model = path.join(dir, 'encoder-v0.onnx');
    const built = await loadOrBuildV0(dir, v0Source(source), digests);
    expect((await loadOrBuildV0(dir, v0Source(source), digests)).built).toBe(false);
    const damaged = await readFile(model);
    const middle = damaged.length >> 1;
    damaged.writeUInt8(damaged.readUInt8(middle) ^ 0xff, middle);
    const { mtime } = await stat(model);
    await writeFile(model, damaged);
    await utimes(model, mtime, new Date(mtime.getTime() + 5_000));
    const repaired = await loadOrBuildV0(dir, v0Source(source), digests);
    expect(repaired.built).toBe(true);
    expect(Buffer.compare(await readFile(model), Buffer.from(built.model))).toBe(0);
    expect(hashed).toEqual(['encoder-v0.onnx', 'encoder-v0.onnx']);
  });
});

describe('useLiteSourceHash', () => {
  it('names the weights as readUseLiteSource does, reading the shards only the first time', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'driftless-source-hash-'));
    try {
      let reads = 0;
      const hashFiles: HashFiles = (paths) => {
        reads += paths.length;
        return hashFilesStreamed(paths);
      };
      const open = () => DigestCache.open(path.join(dir, 'digests.json'), { hashFiles, now: later });
      const expected = (await readUseLiteSource()).hash;
      expect(await useLiteSourceHash(useLiteModelDir(), await open())).toBe(expected);
      expect(reads).toBe(7);
      expect(await useLiteSourceHash(useLiteModelDir(), await open())).toBe(expected);
      expect(reads).toBe(7);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
