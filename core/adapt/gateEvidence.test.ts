import { describe, expect, it } from 'vitest';
import { gateQueries, hideCopiedChunks, type GateChunk } from './gateEvidence.ts';
import type { TrainingPair } from './types.ts';

const pair = (query: string, note: string, source: TrainingPair['source'] = 'sentence'): TrainingPair => ({
  query,
  positive: '',
  negatives: [],
  source,
  note,
});

const chunk = (
  chunkId: string,
  text: string,
  title = 'Sourdough',
  headingPath: string[] = [],
): GateChunk => ({
  chunkId,
  title,
  headingPath,
  text,
});

const chunks = new Map<string, GateChunk[]>([
  [
    'f/bread.md',
    [
      chunk('b1', 'Feed the starter twice a day.\nKeep it   warm near the oven door.', 'Sourdough', [
        'Starter',
      ]),
      chunk('b2', 'Bake at high heat in a covered pot until the crust is dark and crisp'),
      chunk('b3', 'and the loaf sounds hollow when tapped underneath.'),
    ],
  ],
  ['f/bike.md', [chunk('k1', 'Oil the chain every month.', 'Bicycle')]],
]);
const chunksOf = async (notes: readonly string[]) =>
  new Map(notes.map((note) => [note, chunks.get(note) ?? []] as const));

async function judged(pairs: TrainingPair[]) {
  const queries = await hideCopiedChunks(gateQueries(pairs, false), chunksOf);
  return Object.fromEntries(queries.map((query) => [query.query, query.hidden]));
}

describe('hideCopiedChunks', () => {
  it('hides the chunk a sentence was copied from, ignoring case and spacing, and keeps the note judged', async () => {
    expect(await judged([pair('keep it warm near the OVEN door.', 'f/bread.md')])).toEqual({
      'keep it warm near the OVEN door.': ['b1'],
    });
  });

  it('hides both chunks of a sentence that straddles a chunk boundary', async () => {
    const query = 'until the crust is dark and crisp and the loaf sounds hollow when tapped';
    expect(await judged([pair(query, 'f/bread.md')])).toEqual({ [query]: ['b2', 'b3'] });
  });

  it('hides the chunks under a heading the query copies', async () => {
    expect(await judged([pair('starter', 'f/bread.md', 'heading')])).toEqual({ starter: ['b1'] });
  });

  it('leaves out a query copied into every chunk of its notes (a title): it says nothing about meaning', async () => {
    expect(
      await judged([pair('Sourdough', 'f/bread.md', 'title'), pair('bicycle', 'f/bike.md', 'title')]),
    ).toEqual({});
  });

  it('judges a question that copies no chunk as typed', async () => {
    expect(await judged([pair('how do I get a dark crust', 'f/bread.md', 'feedback')])).toEqual({
      'how do I get a dark crust': [],
    });
  });

  it('does not call a short common half a copy', async () => {
    expect(await judged([pair('and the loaf rises', 'f/bread.md', 'feedback')])).toEqual({
      'and the loaf rises': [],
    });
  });
});
