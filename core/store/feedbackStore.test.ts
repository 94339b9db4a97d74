import { connect } from '@lancedb/lancedb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/index.ts';
import { FEEDBACK_TABLE, FeedbackStore, OPTIMIZE_EVERY, type FeedbackRecord } from './feedbackStore.ts';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let store: FeedbackStore;

beforeEach(async () => {
  temp = await makeTempDir();
  store = await FeedbackStore.open(temp.dir);
});

afterEach(async () => {
  store.close();
  await temp.remove();
});

const event = (i: number): FeedbackRecord => ({
  atMs: 1_700_000_000_000 + i,
  query: `query ${i}`,
  kind: 'open',
  folderId: 'f1',
  notePath: `n${i}.md`,
  shown: [`f1/n${i}.md`],
  encoderVersion: 'v0',
});

/** Fragments of the feedback table on disk, as a separate reader sees them. */
async function fragments(): Promise<number> {
  const db = await connect(temp.dir);
  const table = await db.openTable(FEEDBACK_TABLE);
  try {
    return (await table.stats()).fragmentStats.numFragments;
  } finally {
    table.close();
    db.close();
  }
}

describe('FeedbackStore', () => {
  it('compacts the table as events arrive one by one, keeping every event in order', async () => {
    const appends = 2 * OPTIMIZE_EVERY + 5;
    for (let i = 0; i < appends; i++) await store.append([event(i)]);
    // One fragment per append without compaction; compacted rounds leave one plus what came since.
    expect(await fragments()).toBeLessThanOrEqual(6);
    const read = await store.read();
    expect(read.map((record) => record.notePath)).toEqual(
      Array.from({ length: appends }, (_, i) => `n${i}.md`),
    );
    expect(await store.count({ sinceMs: 1_700_000_000_000 + appends - 3 })).toBe(3);
  });
});
