import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/index.ts';
import { DigestCache, hashFilesStreamed } from './digestCache.ts';
import type { DigestCacheOptions, HashFiles } from './digestCache.ts';
import { sha256 } from './hash.ts';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => (temp = await makeTempDir()));
afterEach(() => temp.remove());

/** A clock a minute ahead of the files, so files written by the test count as settled. */
const later = () => Date.now() + 60_000;
/** An mtime long past, set explicitly so two writes never share one by the clock's granularity. */
const longAgo = new Date('2024-01-01T00:00:00Z');

/** The real hashing, with every file it reads counted. */
function countingHash(): { hashFiles: HashFiles; reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    hashFiles: (paths) => {
      reads.push(...paths);
      return hashFilesStreamed(paths);
    },
  };
}

async function writeFile(name: string, content: string, mtime = longAgo): Promise<string> {
  const file = path.join(temp.dir, name);
  await fs.writeFile(file, content);
  await fs.utimes(file, mtime, mtime);
  return file;
}

describe('DigestCache', () => {
  const cacheFile = () => path.join(temp.dir, 'digests.json');
  const open = (options: DigestCacheOptions) => DigestCache.open(cacheFile(), { now: later, ...options });

  it('hashes an unchanged file once, in this process and the next', async () => {
    const a = await writeFile('a.bin', 'first part;');
    const b = await writeFile('b.bin', 'second part');
    const counted = countingHash();
    const first = await open(counted);
    const digest = await first.digestOf([a, b]);
    expect(digest).toEqual({ sha256: sha256('first part;second part'), bytes: 22 });
    expect(await first.digestOf([a, b])).toEqual(digest);
    expect(await (await open(counted)).digestOf([a, b])).toEqual(digest);
    expect(counted.reads).toEqual([a, b]);
  });

  it('hashes a file again once its content and mtime changed', async () => {
    const file = await writeFile('model.onnx', 'good bytes');
    const counted = countingHash();
    expect((await (await open(counted)).digestOf([file])).sha256).toBe(sha256('good bytes'));
    await writeFile('model.onnx', 'evil bytes', new Date(longAgo.getTime() + 5_000));
    expect((await (await open(counted)).digestOf([file])).sha256).toBe(sha256('evil bytes'));
    expect(counted.reads).toHaveLength(2);
  });

  it('hashes a file swapped for another of the same size and mtime (another inode)', async () => {
    const file = await writeFile('model.onnx', 'good bytes');
    const counted = countingHash();
    await (await open(counted)).digestOf([file]);
    await fs.rename(await writeFile('swap.tmp', 'evil bytes'), file);
    expect((await (await open(counted)).digestOf([file])).sha256).toBe(sha256('evil bytes'));
    expect(counted.reads).toHaveLength(2);
  });

  it('ignores a damaged cache file and writes a good one in its place', async () => {
    const file = await writeFile('model.onnx', 'good bytes');
    await fs.writeFile(cacheFile(), '{"formatVersion": 1, "entries": [{"paths": [');
    const counted = countingHash();
    expect((await (await open(counted)).digestOf([file])).sha256).toBe(sha256('good bytes'));
    expect(counted.reads).toEqual([file]);
    const saved = JSON.parse(await fs.readFile(cacheFile(), 'utf8')) as { entries: unknown[] };
    expect(saved.entries).toHaveLength(1);
    await (await open(counted)).digestOf([file]);
    expect(counted.reads).toEqual([file]);
  });

  it('ignores a remembered entry of the wrong shape', async () => {
    const file = await writeFile('model.onnx', 'good bytes');
    const counted = countingHash();
    await (await open(counted)).digestOf([file]);
    const saved = JSON.parse(await fs.readFile(cacheFile(), 'utf8')) as { entries: Array<{ bytes: number }> };
    saved.entries[0]!.bytes = -5;
    await fs.writeFile(cacheFile(), JSON.stringify(saved));
    expect(await (await open(counted)).digestOf([file])).toEqual({ sha256: sha256('good bytes'), bytes: 10 });
    expect(counted.reads).toEqual([file, file]);
  });

  it('does not remember a file written moments ago, which a second write could change unseen', async () => {
    const file = await writeFile('model.onnx', 'new bytes', new Date());
    const counted = countingHash();
    const cache = await open({ ...counted, now: Date.now });
    await cache.digestOf([file]);
    await cache.digestOf([file]);
    expect(counted.reads).toEqual([file, file]);
  });

  it('hashes again after a week, for damage below the file system', async () => {
    const file = await writeFile('model.onnx', 'good bytes');
    const counted = countingHash();
    await (await open(counted)).digestOf([file]);
    await (await open({ ...counted, now: () => later() + 8 * 24 * 3_600_000 })).digestOf([file]);
    expect(counted.reads).toEqual([file, file]);
  });
});
