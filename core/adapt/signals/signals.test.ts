import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../base/index.ts';
import type { FeedbackEvent } from '../../store/index.ts';
import type { TrainingPair } from '../types.ts';
import { EventLoopTurns } from '../turns.ts';
import {
  cleanPairs,
  cleanPairsInTurns,
  cropPairs,
  headingPairs,
  holdOut,
  isBoilerplate,
  pairsFromFeedback,
  selfSupervisedPairs,
  sentencePairs,
  titlePairs,
  type NoteDocument,
} from './index.ts';

const body =
  'Feed the starter every morning with flour and water. Keep it warm near the oven. ' +
  'Discard half before each feeding so it stays active. A healthy starter doubles in six hours. ' +
  'Bake when it smells sour and looks bubbly on top of the jar.';

const note: NoteDocument = {
  folderId: 'f',
  notePath: 'bread.md',
  title: 'Sourdough starter',
  encoderVersion: 'v0',
  sections: [
    { headingPath: ['Sourdough starter'], text: 'Sourdough starter' },
    {
      headingPath: ['Sourdough starter', 'Feeding schedule'],
      text: `Feeding schedule\n\n${body}`,
      chunkId: 'c1',
    },
  ],
};

describe('self-supervised pairs', () => {
  it('pairs a heading with its section, without the heading line in the passage', () => {
    expect(headingPairs(note)).toEqual([
      { query: 'Feeding schedule', positive: body, negatives: [], source: 'heading' },
    ]);
  });

  it('pairs the title with the body, skipping the title-only chunk', () => {
    const [pair] = titlePairs(note, 60);
    expect(pair).toMatchObject({ query: 'Sourdough starter', source: 'title' });
    expect(pair!.positive).toBe(body.slice(0, 60).trim());
  });

  it('cuts a sentence out of its passage (inverse cloze) and crops spans deterministically', () => {
    const [sentence] = sentencePairs(note, 1, new SeededRandom(4));
    expect(sentence!.positive).not.toContain(sentence!.query);
    expect(body).toContain(sentence!.query);
    const a = cropPairs(note, 1, new SeededRandom(9));
    expect(cropPairs(note, 1, new SeededRandom(9))).toEqual(a);
    expect(body).toContain(a[0]!.query);
    expect(a[0]!.query.split(' ').length).toBeLessThanOrEqual(12);
  });

  it('gives the same pairs for the same seed and different ones for another', () => {
    const run = (seed: number) => selfSupervisedPairs(note, new SeededRandom(seed));
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });
});

describe('quality filters', () => {
  it('drops boilerplate, short or trivial pairs and duplicate queries', () => {
    expect(isBoilerplate('https://example.com/page')).toBe(true);
    expect(isBoilerplate('[docs](https://example.com)')).toBe(true);
    expect(isBoilerplate('2024-03-01')).toBe(true);
    expect(isBoilerplate('Feed the starter')).toBe(false);
    const good: TrainingPair = {
      query: 'feeding the starter',
      positive: body,
      negatives: [],
      source: 'heading',
    };
    const kept = cleanPairs([
      good,
      { ...good, positive: 'too short' },
      { ...good, query: '2024-03-01' },
      { ...good, query: 'x' },
      { ...good, query: 'Feeding  the STARTER' },
      { ...good, query: body, positive: body },
    ]);
    expect(kept).toEqual([good]);
  });

  it('drops a self-supervised query that several notes share, but keeps feedback on several notes', async () => {
    const good: TrainingPair = {
      query: 'feeding the starter',
      positive: 'Feed the starter twice a day with equal weights of flour and water, then wait.',
      negatives: [],
      source: 'heading',
    };
    const title = (note: string) => ({ ...good, query: 'Session notes', source: 'title' as const, note });
    const feedback = (note: string) => ({
      ...good,
      query: 'starter schedule',
      source: 'feedback' as const,
      note,
    });
    const pairs = [title('f/1.md'), title('f/2.md'), good, feedback('f/1.md'), feedback('f/2.md')];
    const kept = cleanPairs(pairs);
    expect(kept.map((pair) => pair.query)).toEqual(['feeding the starter', 'starter schedule']);
    expect(await cleanPairsInTurns(pairs, new EventLoopTurns(0))).toEqual(kept);
  });
});

describe('feedback pairs', () => {
  const event = (kind: FeedbackEvent['kind'], notePath: string, shown: string[] = []): FeedbackEvent => ({
    query: 'starter feeding',
    kind,
    folderId: 'f',
    notePath,
    shown,
    encoderVersion: 'v0',
    atMs: 1,
  });
  const passages: Record<string, string> = {
    'f/a.md': 'passage a',
    'f/b.md': 'passage b',
    'f/c.md': 'passage c',
  };

  it('makes opened notes positives, skipped higher results and hidden notes negatives', () => {
    const pairs = pairsFromFeedback(
      [event('open', 'b.md', ['f/a.md', 'f/b.md', 'f/c.md']), event('hide', 'c.md'), event('down', 'a.md')],
      (key) => passages[key],
    );
    expect(pairs).toEqual([
      {
        query: 'starter feeding',
        positive: 'passage b',
        negatives: expect.arrayContaining(['passage a', 'passage c']),
        source: 'feedback',
        note: 'f/b.md',
      },
    ]);
    expect(pairs[0]!.negatives).toHaveLength(2);
  });

  it('never makes a note the user opened for the query a negative of another one it opened', () => {
    const shown = ['f/a.md', 'f/b.md', 'f/c.md'];
    const pairs = pairsFromFeedback(
      [event('open', 'a.md', shown), event('open', 'c.md', shown)],
      (key) => passages[key],
    );
    expect(pairs.find((pair) => pair.note === 'f/c.md')!.negatives).toEqual(['passage b']);
  });

  it('ignores feedback on notes no longer in the index', () => {
    expect(pairsFromFeedback([event('pin', 'gone.md')], (key) => passages[key])).toEqual([]);
  });
});

describe('holdOut', () => {
  it('splits deterministically and keeps every pair once', () => {
    const pairs = Array.from({ length: 10 }, (_, i) => ({
      query: `q${i}`,
      positive: `p${i}`,
      negatives: [],
      source: 'crop' as const,
    }));
    const split = holdOut(pairs, 0.2, 5);
    expect(split.heldOut).toHaveLength(2);
    expect([...split.train, ...split.heldOut].map((p) => p.query).sort()).toEqual(
      pairs.map((p) => p.query).sort(),
    );
    expect(holdOut(pairs, 0.2, 5)).toEqual(split);
  });

  it('holds out whole notes: no note gives pairs to both sides', () => {
    const pairs = Array.from(
      { length: 40 },
      (_, i): TrainingPair => ({
        query: `q${i}`,
        positive: `p${i}`,
        negatives: [],
        source: 'heading',
        note: `f/n${i % 8}.md`,
      }),
    );
    const split = holdOut(pairs, 0.25, 3);
    const notesOf = (side: TrainingPair[]) => new Set(side.map((p) => p.note));
    expect(split.heldOut.length).toBeGreaterThanOrEqual(10);
    expect(split.train.length).toBeGreaterThan(0);
    for (const note of notesOf(split.heldOut)) expect(notesOf(split.train).has(note)).toBe(false);
  });
});
