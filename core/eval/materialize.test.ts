import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readBeirCorpus } from './beir.ts';
import { MANIFEST_NAME, docIdForNote, materializeCorpus, readMaterializedMap } from './materialize.ts';
import { NoteNamer } from './noteNames.ts';
import type { BeirDoc } from './types.ts';

const FIXTURE_CORPUS = fileURLToPath(new URL('./fixtures/tiny/corpus.jsonl', import.meta.url));

let root: string;
let folder: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'driftless-materialize-'));
  folder = path.join(root, 'notes');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('materializeCorpus', () => {
  it('writes one note per doc and maps every note back to its doc', async () => {
    const result = await materializeCorpus(readBeirCorpus(FIXTURE_CORPUS), folder);
    expect(result.written).toBe(5);
    const notes = (await readdir(folder)).filter((name) => name.endsWith('.md')).sort();
    expect(notes).toHaveLength(5);
    expect(new Set(result.noteToDoc.values())).toEqual(new Set(['d1', 'd2', 'd3', 'Q/4 odd id', 'd5']));
    for (const note of notes) {
      const text = await readFile(path.join(folder, note), 'utf8');
      const frontMatter = /^---\n([\s\S]*?)---\n/.exec(text)?.[1] ?? '';
      expect((parse(frontMatter) as { doc_id: string }).doc_id).toBe(result.noteToDoc.get(note));
    }
    expect(await readFile(path.join(folder, 'd1.md'), 'utf8')).toBe(
      '---\ndoc_id: d1\n---\n\n# Heat pumps\n\nA heat pump moves heat from cold outdoor air into a warm house.\n',
    );
    expect(await readFile(path.join(folder, 'd3.md'), 'utf8')).not.toContain('#');
    expect(await readMaterializedMap(folder)).toEqual(result.noteToDoc);
  });

  it('quotes ids that YAML would read as another type', async () => {
    await materializeCorpus([{ id: '0012', title: 't', text: 'x' }], folder);
    const text = await readFile(path.join(folder, '0012.md'), 'utf8');
    expect((parse(/^---\n([\s\S]*?)---/.exec(text)?.[1] ?? '') as { doc_id: unknown }).doc_id).toBe('0012');
  });

  it('is idempotent: a second run rewrites nothing and keeps modification times', async () => {
    await materializeCorpus(readBeirCorpus(FIXTURE_CORPUS), folder);
    const before = (await stat(path.join(folder, 'd2.md'))).mtimeMs;
    const again = await materializeCorpus(readBeirCorpus(FIXTURE_CORPUS), folder);
    expect(again).toMatchObject({ written: 0, unchanged: 5, removed: 0 });
    expect((await stat(path.join(folder, 'd2.md'))).mtimeMs).toBe(before);
  });

  it('rewrites changed docs and removes notes of docs no longer in the corpus', async () => {
    const docs: BeirDoc[] = [
      { id: 'a', title: 'A', text: 'first' },
      { id: 'b', title: 'B', text: 'second' },
    ];
    await materializeCorpus(docs, folder);
    const next = await materializeCorpus([{ id: 'a', title: 'A', text: 'changed' }], folder);
    expect(next).toMatchObject({ written: 1, unchanged: 0, removed: 1 });
    expect((await readdir(folder)).sort()).toEqual([MANIFEST_NAME, 'a.md']);
  });

  it('refuses a non-empty folder it did not write', async () => {
    await materializeCorpus([], folder);
    await rm(path.join(folder, MANIFEST_NAME));
    await writeFile(path.join(folder, 'mine.md'), 'keep me');
    await expect(materializeCorpus([{ id: 'a', title: '', text: 'x' }], folder)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await readFile(path.join(folder, 'mine.md'), 'utf8')).toBe('keep me');
  });

  it('stops with CANCELLED when its signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      materializeCorpus(readBeirCorpus(FIXTURE_CORPUS), folder, {}, controller.signal),
    ).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });

  it('reports progress', async () => {
    const done: number[] = [];
    await materializeCorpus(readBeirCorpus(FIXTURE_CORPUS), folder, {
      total: 5,
      onProgress: (p) => done.push(p.done),
    });
    expect(done).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('note names', () => {
  it('keeps safe ids and suffixes unsafe, reserved and case-colliding ones with a hash', () => {
    const namer = new NoteNamer();
    expect(namer.nameFor('MED-10')).toBe('MED-10.md');
    expect(namer.nameFor('Q/4 odd id')).toMatch(/^Q_4_odd_id~[0-9a-f]{10}\.md$/);
    expect(namer.nameFor('.hidden')).toMatch(/^_hidden~[0-9a-f]{10}\.md$/);
    expect(namer.nameFor('con')).toMatch(/^con~[0-9a-f]{10}\.md$/);
    expect(namer.nameFor('med-10')).toMatch(/^med-10~[0-9a-f]{10}\.md$/);
    expect(namer.nameFor('x'.repeat(300))).toHaveLength(100 + 1 + 10 + 3);
  });

  it('rejects a doc id seen twice', () => {
    const namer = new NoteNamer();
    namer.nameFor('a');
    expect(() => namer.nameFor('a')).toThrow(/Duplicate doc id 'a'/);
  });

  it('maps note paths with either separator back to doc ids', () => {
    const map = new Map([['sub/a.md', 'a']]);
    expect(docIdForNote(map, 'sub\\a.md')).toBe('a');
    expect(docIdForNote(map, 'other.md')).toBeUndefined();
  });
});
