import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/index.ts';
import { FolderRegistry } from './folderRegistry.ts';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => (temp = await makeTempDir('driftless-registry-')));
afterEach(async () => temp.remove());

describe('FolderRegistry.add', () => {
  it.runIf(process.platform !== 'win32')(
    'refuses the root and system folders such as /usr/bin with a clear error, and adds a notes folder',
    async () => {
      const registry = await FolderRegistry.open(temp.dir);
      for (const folder of ['/usr/bin', '/', '/etc', '/proc'])
        await expect(registry.add(folder)).rejects.toMatchObject({
          code: 'INVALID_ARGUMENT',
          message: expect.stringMatching(/not a notes folder/),
        });
      expect(registry.list()).toEqual([]);
      const notes = path.join(temp.dir, 'notes');
      await fs.mkdir(notes);
      expect((await registry.add(notes)).root).toBe(await fs.realpath(notes));
    },
  );
});

describe('FolderRegistry.add with a path as typed in the window', () => {
  it('reads ~ and relative paths from the home folder, and says so when there is no such folder', async () => {
    const home = path.join(temp.dir, 'home');
    await fs.mkdir(path.join(home, 'notes', 'journal'), { recursive: true });
    const before = process.env.HOME;
    process.env.HOME = home;
    try {
      const registry = await FolderRegistry.open(temp.dir);
      expect((await registry.add('~/notes/journal')).root).toBe(
        await fs.realpath(path.join(home, 'notes/journal')),
      );
      await registry.remove(registry.list()[0]!.id);
      expect((await registry.add('notes')).root).toBe(await fs.realpath(path.join(home, 'notes')));
      await expect(registry.add('nowhere')).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: `There is no folder at ${path.join(home, 'nowhere')} (a relative path is read from your home folder, ${home}).`,
      });
    } finally {
      process.env.HOME = before;
    }
  });
});

describe('FolderRegistry shared by several writers', () => {
  it('keeps every folder when four instances add different folders at the same moment', async () => {
    const roots = await Promise.all(
      ['a', 'b', 'c', 'd'].map(async (name) => {
        const root = path.join(temp.dir, `notes-${name}`);
        await fs.mkdir(root);
        return fs.realpath(root);
      }),
    );
    const dataDir = path.join(temp.dir, 'data');
    await fs.mkdir(dataDir);
    const writers = await Promise.all(roots.map(() => FolderRegistry.open(dataDir)));
    await Promise.all(writers.map((writer, i) => writer.add(roots[i]!)));
    const stored = (await FolderRegistry.open(dataDir)).list().map((folder) => folder.root);
    expect(stored.sort()).toEqual([...roots].sort());
    await expect(fs.readdir(dataDir)).resolves.not.toContain('folders.json.lock');
  });

  it('reload() picks up a folder another instance added and says whether anything changed', async () => {
    const root = path.join(temp.dir, 'notes');
    await fs.mkdir(root);
    const serving = await FolderRegistry.open(temp.dir);
    const cli = await FolderRegistry.open(temp.dir);
    await cli.add(root);
    expect(serving.list()).toEqual([]);
    expect(await serving.reload()).toBe(true);
    expect(serving.list().map((folder) => folder.root)).toEqual([await fs.realpath(root)]);
    expect(await serving.reload()).toBe(false);
  });
});
