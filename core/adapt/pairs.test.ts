import { describe, expect, it } from 'vitest';
import { planPairs } from './pairs.ts';
import { EventLoopTurns } from './turns.ts';
import type { NoteDocument } from './signals/index.ts';

const body = (i: number) =>
  `Entry ${i} talks about topic ${i % 7} at length. It keeps going with details about item ${i}, ` +
  `so that the passage is long enough to be worth learning from, and it ends here for note ${i}.`;

function note(i: number): NoteDocument {
  return {
    folderId: 'f',
    notePath: `n${i}.md`,
    title: `Note ${i}`,
    encoderVersion: 'v0',
    sections: [
      { headingPath: [`Note ${i}`, `Topic ${i}`], text: `Topic ${i}\n\n${body(i)}`, chunkId: `c${i}` },
    ],
  };
}

describe('planPairs', () => {
  const notes = Array.from({ length: 60 }, (_, i) => note(i));
  const options = { seed: 1, heldOutFraction: 0.2, replayFraction: 0.1, maxOldPairs: 10 };

  it('keeps every new-note pair under the cap and samples down to it above', async () => {
    const all = await planPairs(notes, 'v0', [], options);
    const total = all.train.length + all.heldOut.length;
    expect(total).toBeGreaterThan(30);
    const capped = await planPairs(notes, 'v0', [], { ...options, maxNewPairs: 30 });
    expect(capped.train.length + capped.heldOut.length).toBe(30);
    expect(await planPairs(notes, 'v0', [], { ...options, maxNewPairs: 30 })).toEqual(capped);
    expect(await planPairs(notes, 'v0', [], { ...options, maxNewPairs: total })).toEqual(all);
  });

  it('never judges the gate on notes that training saw, replayed or new', async () => {
    const older = notes.map((n, i) =>
      i < 40 ? { ...n, encoderVersion: 'v0' } : { ...n, encoderVersion: 'v1' },
    );
    const plan = await planPairs(older, 'v1', [], { ...options, replayFraction: 0.5 });
    const trained = new Set(plan.train.map((pair) => pair.note));
    expect(plan.old.length).toBeGreaterThan(0);
    expect(plan.train.some((pair) => pair.source === 'replay')).toBe(true);
    for (const pair of [...plan.old, ...plan.heldOut]) {
      expect(pair.note).toBeDefined();
      expect(trained.has(pair.note)).toBe(false);
    }
  });

  it('lets other work run while it plans, and plans the same pairs as in one go', async () => {
    let turnsTaken = 0;
    let planning = true;
    const countTurns = () => {
      if (!planning) return;
      turnsTaken++;
      setImmediate(countTurns);
    };
    setImmediate(countTurns);
    const everyTurn = await planPairs(notes, 'v0', [], options, new EventLoopTurns(0));
    planning = false;
    // Each note and each pair is a turn here: other callbacks ran between them, not after.
    expect(turnsTaken).toBeGreaterThan(notes.length);
    expect(everyTurn).toEqual(await planPairs(notes, 'v0', [], options, new EventLoopTurns(Infinity)));
  });
});
