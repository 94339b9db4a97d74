import { describe, expect, it } from 'vitest';
import { runGate, type NoteSearch } from './gate.ts';
import type { TrainingPair } from './types.ts';

const pair = (query: string, note: string): TrainingPair => ({
  query,
  positive: '',
  negatives: [],
  source: 'heading',
  note,
});
const heldOut = [pair('a', 'f/a.md'), pair('b', 'f/b.md')];
const chunk = (chunkId: string, text: string) => ({ chunkId, title: 'T', headingPath: [], text });
const oldPairs = [pair('c', 'f/c.md')];

/** A search that ranks each query's own note at `rank` (1-based), or not at all. */
const ranking =
  (rank: Record<string, number | undefined>): NoteSearch =>
  async (query) => {
    const at = rank[query];
    const notes = ['f/x.md', 'f/y.md', 'f/z.md'];
    if (at !== undefined) notes.splice(at - 1, 0, `f/${query}.md`);
    return notes;
  };

describe('runGate', () => {
  const options = { minGain: 0, minStdErrors: 0, maxLossInOtherModes: 0, maxQueries: 10 };
  const before = ranking({ a: 2, b: 2, c: 1 });

  it('promotes a strict gain in the first mode', async () => {
    const verdict = await runGate({
      heldOut,
      oldPairs,
      checks: [{ name: 'hybrid', current: before, candidate: ranking({ a: 1, b: 2, c: 1 }) }],
      options,
    });
    expect(verdict).toMatchObject({ passed: true, reasons: [] });
    expect(verdict.metrics).toMatchObject({ gateQueries: 3, oldNotesQueries: 1, oldNotesMrrAfter: 1 });
    expect(verdict.metrics.mrrAfter).toBeCloseTo((1 + 0.5 + 1) / 3);
    expect(verdict.evidence.map((e) => [e.query, e.oldNote, e.reciprocalRanks.hybrid])).toEqual([
      ['a', false, { before: 0.5, after: 1 }],
      ['b', false, { before: 0.5, after: 0.5 }],
      ['c', true, { before: 1, after: 1 }],
    ]);
  });

  it('refuses a tie: equal is not better', async () => {
    const verdict = await runGate({
      heldOut,
      oldPairs,
      checks: [{ name: 'hybrid', current: before, candidate: before }],
      options,
    });
    expect(verdict.passed).toBe(false);
    expect(verdict.reasons[0]).toMatch(/hybrid search did not improve beyond noise on 3 held-out queries/);
  });

  it('refuses a gain in one mode that costs another, so switching modes never finds a worse version', async () => {
    const verdict = await runGate({
      heldOut,
      oldPairs,
      checks: [
        { name: 'hybrid', current: before, candidate: ranking({ a: 1, b: 1, c: 1 }) },
        { name: 'dense', current: before, candidate: ranking({ a: 2, b: 2 }) },
      ],
      options,
    });
    expect(verdict.passed).toBe(false);
    expect(verdict.reasons).toEqual([expect.stringMatching(/^dense search got worse/)]);
    expect(verdict.metrics.denseMrrAfter).toBeLessThan(verdict.metrics.denseMrrBefore!);
  });

  it('judges a query with several notes once, by the first of them found', async () => {
    const both = [pair('q', 'f/one.md'), pair('q', 'f/two.md')];
    const finds =
      (notes: string[]): NoteSearch =>
      async () =>
        notes;
    const verdict = await runGate({
      heldOut: both,
      oldPairs: [],
      checks: [
        {
          name: 'hybrid',
          current: finds(['f/x.md', 'f/y.md', 'f/one.md']),
          candidate: finds(['f/two.md', 'f/x.md']),
        },
      ],
      options,
    });
    expect(verdict.passed).toBe(true);
    expect(verdict.metrics).toMatchObject({ gateQueries: 1, mrrBefore: 1 / 3, mrrAfter: 1 });
  });

  it('refuses a gain that one query makes, and promotes the same gain made by several', async () => {
    const many = Array.from({ length: 12 }, (_, i) => pair(`q${i}`, `f/q${i}.md`));
    // The first `up` queries find their note first instead of second; with `slip`, the last one
    // falls from second to third.
    const atRank = (up: number, slip = false) =>
      ranking(Object.fromEntries(many.map(({ query }, i) => [query, i < up ? 1 : slip && i === 11 ? 3 : 2])));
    const judge = (candidate: NoteSearch) =>
      runGate({
        heldOut: many,
        oldPairs: [],
        checks: [{ name: 'hybrid', current: atRank(0), candidate }],
        options: { ...options, minStdErrors: 1, maxQueries: 20 },
      });
    const lucky = await judge(atRank(1, true));
    expect(lucky.passed).toBe(false);
    expect(lucky.reasons[0]).toMatch(
      /did not improve beyond noise on 12 held-out queries .*needed more than/,
    );
    expect(lucky.metrics.gainStdError).toBeGreaterThan(0);
    const broad = await judge(atRank(3));
    expect(broad).toMatchObject({ passed: true, reasons: [] });
    expect(broad.metrics.mrrAfter! - broad.metrics.mrrBefore!).toBeGreaterThan(broad.metrics.gainStdError!);
  });

  describe('with the chunks queries were copied from', () => {
    // Note a's chunk a1 holds query a word for word; a2 says the same in other words.
    const chunksOf = async (notes: readonly string[]) =>
      new Map(
        notes.map((note) => {
          const name = note.slice(2, 3);
          return [note, [chunk(`${name}1`, `text ${name} copied here`), chunk(`${name}2`, 'other words')]];
        }),
      );
    const copied = [pair('a', 'f/a.md'), pair('b', 'f/b.md')].map((p) => ({
      ...p,
      query: `${p.query} copied`,
    }));
    /** Finds a query's note at `asCopied` while its copy is searchable, else at `byMeaning`. */
    const finds =
      (asCopied: number, byMeaning: number): NoteSearch =>
      async (query, hidden) => {
        const note = `f/${query.slice(0, 1)}.md`;
        const rank = hidden.includes(`${query.slice(0, 1)}1`) ? byMeaning : asCopied;
        const notes = ['f/x.md', 'f/y.md', 'f/z.md'];
        notes.splice(rank - 1, 0, note);
        return notes;
      };

    it('judges queries by meaning, their copied chunks hidden, and keeps full lookups apart', async () => {
      const verdict = await runGate({
        heldOut: copied,
        oldPairs: [],
        checks: [{ name: 'hybrid', current: finds(1, 3), candidate: finds(1, 2) }],
        options,
        chunksOf,
      });
      expect(verdict).toMatchObject({ passed: true, reasons: [] });
      expect(verdict.metrics).toMatchObject({
        mrrBefore: 1 / 3,
        mrrAfter: 1 / 2,
        hybridLookupMrrBefore: 1,
        hybridLookupMrrAfter: 1,
      });
      expect(verdict.evidence[0]).toMatchObject({
        hidden: 1,
        reciprocalRanks: { hybrid: { before: 1 / 3, after: 1 / 2 }, hybridLookup: { before: 1, after: 1 } },
      });
    });

    it('refuses a gain by meaning that loses notes found by their own words', async () => {
      const verdict = await runGate({
        heldOut: copied,
        oldPairs: [],
        checks: [{ name: 'hybrid', current: finds(1, 3), candidate: finds(2, 2) }],
        options,
        chunksOf,
      });
      expect(verdict.passed).toBe(false);
      expect(verdict.reasons).toEqual([
        expect.stringMatching(/^hybrid search got worse at finding notes by their own words on 2 held-out/),
      ]);
    });
  });

  it('refuses when there is nothing to judge on', async () => {
    const verdict = await runGate({
      heldOut: [],
      oldPairs: [],
      checks: [{ name: 'hybrid', current: before, candidate: before }],
      options,
    });
    expect(verdict).toMatchObject({
      passed: false,
      reasons: ['no held-out queries to judge the candidate on'],
    });
  });
});
