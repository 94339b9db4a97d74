import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_DIMS, LinearEncoder } from '../../adapt/testing/index.ts';
import { chunkCorpus, type ChunkedCorpus } from './corpus.ts';
import { EmbeddingCache, type Version } from './embeddings.ts';
import { docKey, FamilyIndex } from './familyIndex.ts';
import { taskPairs, type DocSearch, type PairSettings, type SignalSetting } from './pairs.ts';
import { loadTask, type Task } from './tasks.ts';
import { FIXTURE_DATASETS } from './testing/fixtureRun.ts';

const version: Version = { label: 'v0', encoder: new LinearEncoder(FIXTURE_DIMS, 'v0') };
let work: string;
let index: FamilyIndex;
let task: Task;
let corpus: ChunkedCorpus;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'driftless-pairs-'));
  task = await loadTask(FIXTURE_DATASETS[0]!, 0, {}, 7);
  corpus = chunkCorpus(task.key, task.docs, version.encoder);
  index = await FamilyIndex.open(work, FIXTURE_DIMS);
  await index.add(
    corpus,
    'v0',
    await version.encoder.embedDocuments(corpus.chunks.map((c) => c.embeddingText)),
  );
});
afterAll(async () => {
  await index.close();
  await rm(work, { recursive: true, force: true });
});

const settings = (signals: SignalSetting): PairSettings => ({
  signals,
  negativesPerPair: 2,
  selfSupervisedPairs: 50,
  maxPassageChars: 1500,
  seed: 3,
});

function pairsFor(signals: SignalSetting, search: DocSearch) {
  const source = { version, index, cache: new EmbeddingCache(), search };
  return taskPairs(task, { corpus, corpora: [corpus] }, source, settings(signals));
}

const judged = (queryId: string) =>
  [...(task.trainQrels.get(queryId) ?? [])]
    .filter(([, grade]) => grade > 0)
    .map(([id]) => docKey(task.key, id));
const passage = (key: string) => corpus.firstChunk.get(key.slice(task.key.length + 1))!.embeddingText;
const unjudged = (queryId: string) =>
  [...corpus.firstChunk.keys()]
    .map((id) => docKey(task.key, id))
    .find((key) => !judged(queryId).includes(key))!;
const noSearch: DocSearch = async () => {
  throw new Error('not searched');
};

describe('taskPairs', () => {
  it('self-supervised: only the app’s own pairs, each naming the note it came from', async () => {
    const pairs = await pairsFor('self-supervised', noSearch);
    expect(pairs.queries).toEqual([]);
    expect(pairs.selfSupervised.length).toBeGreaterThan(0);
    const notes = new Set([...corpus.firstChunk.keys()].map((id) => docKey(task.key, id)));
    for (const pair of pairs.selfSupervised) expect(notes.has(pair.note!)).toBe(true);
    expect(new Set(pairs.selfSupervised.map((pair) => pair.source)).size).toBeGreaterThan(1);
  });

  it('labelled: a pair for every judged document of every training query', async () => {
    const pairs = await pairsFor('labelled', noSearch);
    const expected = task.trainQueries.flatMap((query) =>
      judged(query.id).map((note) => `${query.text}|${note}`),
    );
    expect(pairs.queries.map((pair) => `${pair.query}|${pair.note}`).sort()).toEqual(expected.sort());
  });

  it('feedback: judged results shown in the first ten are opened; the ones passed over above are weak negatives', async () => {
    const [first, second] = task.trainQueries;
    const opened = judged(first!.id)[0]!;
    const skipped = unjudged(first!.id);
    // The first query shows a skipped result above a judged one; the second shows nothing judged.
    const search: DocSearch = async (query) =>
      query === first!.text ? [skipped, opened] : query === second!.text ? [unjudged(second!.id)] : [];
    const pairs = await pairsFor('feedback', search);
    expect(pairs.queries).toEqual([
      expect.objectContaining({
        query: first!.text,
        positive: passage(opened),
        negatives: [passage(skipped)],
        source: 'feedback',
        note: opened,
      }),
    ]);
  });
});
