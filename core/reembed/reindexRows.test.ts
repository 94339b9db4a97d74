import { Query } from '@lancedb/lancedb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DriftlessError } from '../base/index.ts';
import type { JobContext } from '../jobs/index.ts';
import { makeNoteWrites } from '../testing/index.ts';
import { reindexRows } from './reindexRows.ts';
import {
  FIXTURE_DIMS,
  LinearEncoder,
  openAdaptWorld,
  testJobContext,
  topicNotes,
  type AdaptWorld,
} from '../adapt/testing/index.ts';

let world: AdaptWorld;
beforeEach(async () => {
  world = await openAdaptWorld();
  await world.write(topicNotes(6), 'v0');
  await world.index.writeNotes(await makeNoteWrites(new LinearEncoder(FIXTURE_DIMS, 'v1'), topicNotes(2, 6)));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await world.close();
});

/** The current version's encoder (the fixture's identity map under a new label). */
const v2 = new LinearEncoder(FIXTURE_DIMS, 'v2');

describe('reindexRows', () => {
  it('re-embeds every row of other versions, keeping note content and reporting progress', async () => {
    const context = testJobContext();
    const result = await reindexRows(world.index, v2, { notesPerBatch: 3 }, context);
    expect(result).toEqual({ notes: 8, chunks: 24 });
    expect(await world.index.countRowsByVersion()).toEqual({ v2: 24 });
    expect(context.progress.at(-1)).toMatchObject({ phase: 'reindex', done: 24, total: 24 });
    const [query] = await v2.embedQueries(['starter flour levain crumb proofing loaf']);
    const hits = await world.index.denseSearch(query!, { k: 3, encoderVersion: 'v2' });
    expect(hits[0]?.title).toBe('Sourdough 1');
  });

  it('re-embeds only the chosen versions, most retrieved notes first', async () => {
    const seen: string[] = [];
    const context = testJobContext();
    await reindexRows(
      world.index,
      v2,
      {
        versions: (version) => version === 'v0',
        priority: (key) => (key.endsWith('notes/5.md') ? 10 : 0),
        notesPerBatch: 1,
      },
      { ...context, report: (p) => seen.push(`${p.done}`) },
    );
    expect(await world.index.countRowsByVersion()).toEqual({ v2: 18, v1: 6 });
    expect(seen.slice(0, 2)).toEqual(['0', '3']);
  });

  it('finds stale rows without reading the index as row objects', async () => {
    const toArray = vi.spyOn(Query.prototype, 'toArray');
    // Nothing is stale: the whole index is looked at, a batch of columns at a time, and nothing more.
    const result = await reindexRows(world.index, v2, { versions: () => false }, testJobContext());
    expect(result).toEqual({ notes: 0, chunks: 0 });
    expect(toArray).not.toHaveBeenCalled();
  });

  it('stops at the next batch when cancelled, keeping what it wrote', async () => {
    let calls = 0;
    const context: JobContext = {
      ...testJobContext(),
      checkpoint: async () => {
        if (++calls > 1) throw new DriftlessError('CANCELLED', 'Cancelled.');
      },
    };
    await expect(reindexRows(world.index, v2, { notesPerBatch: 2 }, context)).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    expect((await world.index.countRowsByVersion()).v2).toBe(6);
  });
});
