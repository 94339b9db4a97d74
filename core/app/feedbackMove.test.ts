import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataPaths } from '../base/index.ts';
import { FeedbackStore, NoteIndex, type FeedbackRecord } from '../store/index.ts';
import { FeatureHashingEncoder, makeNoteWrite, makeTempDir } from '../testing/index.ts';
import { openApp } from './index.ts';

/** Data folders of older versions kept feedback inside `index/`: it moves out once, losing none. */
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let dataDir: string;
const encoder = new FeatureHashingEncoder({ dimensions: 512 });

beforeEach(async () => {
  temp = await makeTempDir('driftless-feedback-move-');
  dataDir = path.join(temp.dir, 'data');
});
afterEach(() => temp.remove());

const event = (i: number): FeedbackRecord => ({
  atMs: 1_700_000_000_000 + i,
  query: `query ${i}`,
  kind: i % 2 ? 'up' : 'open',
  folderId: 'f1',
  notePath: `n${i}.md`,
  ...(i % 3 === 0 ? { chunkId: `c${i}` } : {}),
  shown: [`f1/n${i}.md`, 'f1/other.md'],
  encoderVersion: 'v0',
});

/** An index folder as an older version left it: chunk tables with a note, and the feedback table. */
async function oldLayout(events: FeedbackRecord[]): Promise<string> {
  const { index } = dataPaths(dataDir);
  const notes = await NoteIndex.open(index, { dimensions: 512 });
  await notes.writeNotes([await makeNoteWrite(encoder, { notePath: 'garden.md', sections: ['Tomatoes'] })]);
  await notes.close();
  const store = await FeedbackStore.open(index);
  for (const record of events) await store.append([record]);
  store.close();
  return index;
}

const open = () => openApp({ dataDir, loadEncoder: async () => encoder, watch: false });

describe('feedback outside the index', () => {
  it('moves every event out of an old index at open, once, and the index keeps its notes', async () => {
    const events = Array.from({ length: 7 }, (_, i) => event(i));
    const index = await oldLayout(events);
    const app = await open();
    try {
      expect(await fs.readdir(index)).not.toContain('feedback.lance');
      expect(await fs.readdir(dataPaths(dataDir).feedback)).toContain('feedback.lance');
      expect((await app.api.status({})).notes).toBe(1);
    } finally {
      await app.close();
    }
    const again = await open();
    await again.close();
    const moved = await FeedbackStore.open(dataPaths(dataDir).feedback);
    expect(await moved.read()).toEqual(events);
    moved.close();
  });

  it('a move that crashed before dropping the old table adds only the missing events', async () => {
    const events = Array.from({ length: 4 }, (_, i) => event(i));
    const index = await oldLayout(events);
    // The crash: the new table already got the first two events, the old table is still there.
    const partial = await FeedbackStore.open(dataPaths(dataDir).feedback);
    await partial.append(events.slice(0, 2));
    partial.close();
    const app = await open();
    await app.close();
    expect(await fs.readdir(index)).not.toContain('feedback.lance');
    const moved = await FeedbackStore.open(dataPaths(dataDir).feedback);
    expect(await moved.read()).toEqual(events);
    moved.close();
  });

  it('a feedback table too damaged to read is set aside, and the app starts with a new one', async () => {
    const { feedback } = dataPaths(dataDir);
    const store = await FeedbackStore.open(feedback);
    await store.append([event(1)]);
    store.close();
    const versions = path.join(feedback, 'feedback.lance', '_versions');
    for (const name of await fs.readdir(versions))
      if (name.endsWith('.manifest')) await fs.writeFile(path.join(versions, name), 'garbage');
    const app = await open();
    try {
      const repairs = (await app.api.status({})).repairs ?? [];
      expect(repairs).toContainEqual(expect.objectContaining({ file: feedback }));
      const aside = (await fs.readdir(dataDir)).filter((name) => name.startsWith('feedback.damaged-'));
      expect(aside).toHaveLength(1);
    } finally {
      await app.close();
    }
    const fresh = await FeedbackStore.open(feedback);
    await fresh.append([event(2)]);
    expect(await fresh.read()).toEqual([event(2)]);
    fresh.close();
  });
});
