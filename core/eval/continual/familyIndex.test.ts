import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_DIMS, LinearEncoder } from '../../adapt/testing/index.ts';
import { chunkCorpus, type ChunkedCorpus } from './corpus.ts';
import { FamilyIndex } from './familyIndex.ts';
import { loadTask } from './tasks.ts';
import { FIXTURE_DATASETS } from './testing/fixtureRun.ts';

const v0 = new LinearEncoder(FIXTURE_DIMS, 'v0');
const v1 = new LinearEncoder(FIXTURE_DIMS, 'v1');
let work: string;
let index: FamilyIndex;
let corpus: ChunkedCorpus;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'driftless-family-'));
  corpus = chunkCorpus('t1', (await loadTask(FIXTURE_DATASETS[0]!, 0, {}, 7)).docs, v0);
  index = await FamilyIndex.open(work, FIXTURE_DIMS);
  await index.add(corpus, 'v0', await v0.embedDocuments(corpus.chunks.map((c) => c.embeddingText)));
});
afterAll(async () => {
  await index.close();
  await rm(work, { recursive: true, force: true });
});

describe('FamilyIndex', () => {
  it('rewrites some rows of a task in a newer version, as the app keeps its anchors', async () => {
    const rows = corpus.chunks.flatMap((chunk, i) =>
      chunk.notePath === corpus.chunks[0]!.notePath ? [i] : [],
    );
    const vectors = await v1.embedDocuments(rows.map((i) => corpus.chunks[i]!.embeddingText));
    await index.rewriteRows(corpus, rows, 'v1', vectors);
    expect(index.versions()).toEqual(['v0', 'v1']);
    expect(index.tasksIn('v1')).toEqual(['t1']);
    expect(index.rowVersionsOf('t1').filter((v) => v === 'v1')).toHaveLength(rows.length);
    const counts = await index.inner.countRowsByVersion();
    expect(counts).toEqual({ v0: corpus.chunks.length - rows.length, v1: rows.length });
  });
});
