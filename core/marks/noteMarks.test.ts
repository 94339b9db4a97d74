import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/index.ts';
import { NoteMarks } from './noteMarks.ts';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let file: string;
beforeEach(async () => {
  temp = await makeTempDir();
  file = path.join(temp.dir, 'marks.json');
});
afterEach(() => temp.remove());

const a = { folderId: 'f1', notePath: 'a.md' };
const b = { folderId: 'f1', notePath: 'b.md' };

describe('NoteMarks', () => {
  it('keeps pins and hides across a reopen, newest first', async () => {
    const marks = await NoteMarks.open(file);
    await marks.set({ ...a, kind: 'pin', atMs: 1 });
    await marks.set({ ...b, kind: 'hide', atMs: 2 });
    const reopened = await NoteMarks.open(file);
    expect(reopened.list()).toEqual([
      { ...b, kind: 'hide', atMs: 2 },
      { ...a, kind: 'pin', atMs: 1 },
    ]);
    expect([reopened.isPinned(a), reopened.isHidden(a), reopened.isHidden(b)]).toEqual([true, false, true]);
  });

  it('gives a note one mark, and clearing it undoes it on disk too', async () => {
    const marks = await NoteMarks.open(file);
    await marks.set({ ...a, kind: 'pin', atMs: 1 });
    await marks.set({ ...a, kind: 'hide', atMs: 2 });
    expect([marks.isPinned(a), marks.isHidden(a)]).toEqual([false, true]);
    expect(await marks.clear(a)).toEqual({ ...a, kind: 'hide', atMs: 2 });
    expect(await marks.clear(a)).toBeUndefined();
    expect((await NoteMarks.open(file)).list()).toEqual([]);
  });

  it('writes concurrent changes in order, so the file ends as the memory does', async () => {
    const marks = await NoteMarks.open(file);
    await Promise.all([
      marks.set({ ...a, kind: 'pin', atMs: 1 }),
      marks.set({ ...b, kind: 'hide', atMs: 2 }),
      marks.clear(a),
    ]);
    expect((await NoteMarks.open(file)).list()).toEqual([{ ...b, kind: 'hide', atMs: 2 }]);
  });

  it('sets a damaged file aside and starts with no marks', async () => {
    await fs.writeFile(file, '{"marks": [{"folderId": 3}]}');
    expect((await NoteMarks.open(file)).list()).toEqual([]);
    expect(
      (await fs.readdir(temp.dir)).some((name) => name.startsWith('marks.json') && name !== 'marks.json'),
    ).toBe(true);
  });
});
