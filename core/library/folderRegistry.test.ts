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
