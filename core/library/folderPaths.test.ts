import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/index.ts';
import { expandFolderPath, suggestFolders } from './folderPaths.ts';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let home: string;
beforeEach(async () => {
  temp = await makeTempDir('driftless-folder-paths-');
  home = path.join(temp.dir, 'home');
  for (const folder of ['notes/journal', 'notes/Recipes', 'Novels', 'music', '.secret'])
    await fs.mkdir(path.join(home, folder), { recursive: true });
  await fs.writeFile(path.join(home, 'notes.md'), 'a file, never listed');
  await fs.writeFile(path.join(home, 'notes', 'nested.md'), 'a file, never listed');
});
afterEach(async () => temp.remove());

describe('expandFolderPath', () => {
  it('reads ~ and relative paths from the home folder, and says when it did', () => {
    expect(expandFolderPath('~', home)).toEqual({ path: home });
    expect(expandFolderPath(' ~/notes ', home)).toEqual({ path: path.join(home, 'notes') });
    expect(expandFolderPath('notes/journal', home)).toEqual({
      path: path.join(home, 'notes', 'journal'),
      relativeTo: home,
    });
    expect(expandFolderPath('/srv/notes/../wiki', home)).toEqual({ path: path.resolve('/srv/wiki') });
  });
});

describe('suggestFolders', () => {
  it('completes folder names only, case-insensitively, never files', async () => {
    const names = async (typed: string) =>
      (await suggestFolders(typed, home)).folders.map((folder) => path.relative(home, folder));
    expect(await names('~/no')).toEqual(['notes', 'Novels']);
    expect(await names('~/notes/')).toEqual([path.join('notes', 'journal'), path.join('notes', 'Recipes')]);
    expect(await names('notes/r')).toEqual([path.join('notes', 'Recipes')]);
    expect(await names('~')).toEqual(['music', 'notes', 'Novels']);
    expect(await names('~/.s')).toEqual(['.secret']);
    expect(await names('~/nowhere/')).toEqual([]);
    expect((await suggestFolders('notes/r', home)).expanded.relativeTo).toBe(home);
  });

  it('follows a link to a folder, and lists nothing inside a file', async () => {
    await fs.symlink(path.join(home, 'notes'), path.join(home, 'linked-notes'));
    expect((await suggestFolders('~/lin', home)).folders).toEqual([path.join(home, 'linked-notes')]);
    expect((await suggestFolders('~/notes.md/', home)).folders).toEqual([]);
  });
});
