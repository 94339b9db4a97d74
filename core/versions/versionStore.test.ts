import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DigestCache, hashFilesStreamed } from '../base/index.ts';
import { VersionStore } from './versionStore.ts';

let dir: string;
beforeEach(async () => (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-versions-'))));
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

const publishWeights = (store: VersionStore, bytes: number[], parent: string) =>
  store.publish(async (staging) => {
    await fs.writeFile(path.join(staging, 'weights.bin'), Buffer.from(bytes));
    return { parent, backboneId: 'use-lite', metrics: { newNotesNdcg: 0.5 } };
  });

describe('VersionStore', () => {
  it('starts with v0 current and publishes numbered, checksummed versions', async () => {
    const store = await VersionStore.open(dir, 'use-lite');
    expect(store.current.version).toBe('v0');
    const v1 = await publishWeights(store, [1, 2, 3], 'v0');
    expect(v1).toMatchObject({ version: 'v1', parent: 'v0', files: { 'weights.bin': { bytes: 3 } } });
    expect(store.current.version).toBe('v1');
    await publishWeights(store, [4], 'v1');
    expect(store.lineage('v2').map((m) => m.version)).toEqual(['v2', 'v1', 'v0']);
    const reopened = await VersionStore.open(dir, 'use-lite');
    expect(reopened.current.version).toBe('v2');
    expect(reopened.list().map((m) => m.version)).toEqual(['v0', 'v1', 'v2']);
  });

  it('names the next version before publishing it, counting damaged ones', async () => {
    const store = await VersionStore.open(dir, 'use-lite');
    expect(store.nextVersion()).toBe('v1');
    await fs.mkdir(path.join(dir, 'v4'));
    const reopened = await VersionStore.open(dir, 'use-lite');
    expect(reopened.nextVersion()).toBe('v5');
    expect((await publishWeights(reopened, [1], 'v0')).version).toBe('v5');
  });

  it('rolls back to an earlier version and remembers it', async () => {
    const store = await VersionStore.open(dir, 'use-lite');
    await publishWeights(store, [1], 'v0');
    await store.setCurrent('v0');
    expect((await VersionStore.open(dir, 'use-lite')).current.version).toBe('v0');
    await expect(store.setCurrent('v9')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('checks an unchanged version at each open without reading its files again, a changed one with', async () => {
    const reads: string[] = [];
    const digests = () =>
      DigestCache.open(path.join(dir, 'digests.json'), {
        // A minute ahead, so the files the test just wrote count as settled.
        now: () => Date.now() + 60_000,
        hashFiles: (paths) => {
          reads.push(...paths.map((p) => path.basename(p)));
          return hashFilesStreamed(paths);
        },
      });
    await publishWeights(
      await VersionStore.open(dir, 'use-lite', { digests: await digests() }),
      [1, 2, 3],
      'v0',
    );
    await VersionStore.open(dir, 'use-lite', { digests: await digests() });
    expect((await VersionStore.open(dir, 'use-lite', { digests: await digests() })).current.version).toBe(
      'v1',
    );
    expect(reads).toEqual(['weights.bin']);
    // Damaged after it was checked: same size, another mtime.
    const file = path.join(dir, 'v1', 'weights.bin');
    const { mtime } = await fs.stat(file);
    await fs.writeFile(file, Buffer.from([3, 2, 1]));
    await fs.utimes(file, mtime, new Date(mtime.getTime() + 5_000));
    const reopened = await VersionStore.open(dir, 'use-lite', { digests: await digests() });
    expect(reopened.damaged()).toEqual([expect.objectContaining({ version: 'v1' })]);
    expect(reads).toEqual(['weights.bin', 'weights.bin']);
  });

  it('never loads a damaged version and falls back to the newest intact one', async () => {
    const store = await VersionStore.open(dir, 'use-lite');
    await publishWeights(store, [1, 2, 3], 'v0');
    await publishWeights(store, [7, 7], 'v1');
    await fs.writeFile(path.join(dir, 'v2', 'weights.bin'), Buffer.from([7, 8]));
    const reopened = await VersionStore.open(dir, 'use-lite');
    expect(reopened.damaged()).toEqual([
      expect.objectContaining({ version: 'v2', reason: expect.stringContaining('checksum') }),
    ]);
    expect(reopened.current.version).toBe('v1');
    expect(() => reopened.get('v2')).toThrow(/No encoder version v2/);
    const v3 = await publishWeights(reopened, [9], 'v1');
    expect(v3.version).toBe('v3');
  });

  it('discards a publish that failed or was interrupted before its rename', async () => {
    const store = await VersionStore.open(dir, 'use-lite');
    await expect(
      store.publish(async (staging) => {
        await fs.writeFile(path.join(staging, 'weights.bin'), 'partial');
        throw new Error('training crashed');
      }),
    ).rejects.toThrow('training crashed');
    await fs.mkdir(path.join(dir, '.staging-left-by-a-kill'));
    await fs.writeFile(path.join(dir, '.staging-left-by-a-kill', 'weights.bin'), 'x');
    const reopened = await VersionStore.open(dir, 'use-lite');
    expect(reopened.list().map((m) => m.version)).toEqual(['v0']);
    expect(await fs.readdir(dir)).toEqual(expect.not.arrayContaining([expect.stringMatching(/^\.staging-/)]));
  });

  it('treats a version folder without a valid manifest as damaged', async () => {
    await VersionStore.open(dir, 'use-lite');
    await fs.mkdir(path.join(dir, 'v1'));
    await fs.writeFile(path.join(dir, 'v1', 'manifest.json'), '{"version": "v1"');
    const store = await VersionStore.open(dir, 'use-lite');
    expect(store.damaged().map((d) => d.version)).toEqual(['v1']);
    expect(store.current.version).toBe('v0');
  });
});
