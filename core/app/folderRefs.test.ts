import { describe, expect, it } from 'vitest';
import { folderResolver } from './folderRefs.ts';

const folders = [
  { id: 'a1', root: '/home/ann/Journal', addedMs: 0 },
  { id: 'b2', root: '/home/ann/work/notes', addedMs: 0 },
  { id: 'c3', root: '/mnt/old/notes', addedMs: 0 },
];

describe('folderResolver', () => {
  const resolve = folderResolver(folders);

  it('finds a folder by its name in any case, by its full path and by its id', () => {
    expect([resolve('journal'), resolve('/home/ann/work/notes'), resolve('c3')]).toEqual(['a1', 'b2', 'c3']);
  });

  it('says which folders share a name', () => {
    expect(resolve('notes')).toEqual({
      problem:
        'folder:notes is ambiguous: /home/ann/work/notes and /mnt/old/notes share that name; use path: or folder:"<full path>".',
    });
  });

  it('lists the folders there are when none has the name', () => {
    expect(resolve('nope')).toEqual({
      problem: 'No folder is named “nope”; your folders: folder:Journal, folder:notes.',
    });
    expect(folderResolver([])('nope')).toEqual({
      problem: 'No folder is named “nope”: no folders have been added yet.',
    });
  });
});
