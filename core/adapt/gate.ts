import { throwIfAborted } from '../base/index.ts';
import type { TrainingPair } from './types.ts';

export interface GateOptions {
  /** The candidate must beat the current version's MRR@10 by more than this (strictly). */
  minGain: number;
  /**
   * ...plus this many standard errors of the per-query gain: on a few dozen held-out
   * queries a gain of one or two queries is noise (CACM and CISI with feedback adopted versions on
   * +0.02 and +0.03 that were no better than frozen on their test queries).
   */
  minStdErrors: number;
  /** The most MRR@10 the other search modes may lose (0: none). */
  maxLossInOtherModes: number;
  /** Gate queries at most (a seeded sample of the held-out and old-note pairs). */
  maxQueries: number;
}

export const DEFAULT_GATE: GateOptions = {
  minGain: 0,
  minStdErrors: 1,
  maxLossInOtherModes: 0,
  maxQueries: 200,
};

/** The app's own search: the notes (`folderId/notePath`) a query finds, best first. */
export type NoteSearch = (query: string, signal?: AbortSignal) => Promise<string[]>;

/** One way of searching the gate compares: the index as it is now, and with the candidate. */
export interface GateCheck {
  /** Named in the metrics and reasons, e.g. 'hybrid' or 'dense'. */
  name: string;
  current: NoteSearch;
  candidate: NoteSearch;
}

export interface GateVerdict {
  passed: boolean;
  /** Why the candidate was refused; empty when it passed. */
  reasons: string[];
  /**
   * `mrrBefore` / `mrrAfter`: MRR@10 of the gate queries' own notes in the first check (the mode
   * the user searches with), the index as it is now and with the candidate (every stored row mapped
   * into its space); `oldNotesMrr*` the part of them from notes of older versions; `<name>MrrBefore`
   * / `<name>MrrAfter` for the other checks; `gainStdError` the standard error of the first check's
   * per-query gain.
   */
  metrics: Record<string, number>;
  /** Every judged query with its reciprocal rank in each check, before and after (kept by benchmarks). */
  evidence: GateEvidence[];
}

/** One judged query: where its pairs came from and its reciprocal rank@10 per check. */
export interface GateEvidence {
  query: string;
  source: TrainingPair['source'];
  /** From a note of an older version (the gate's old-notes share). */
  oldNote: boolean;
  reciprocalRanks: Record<string, { before: number; after: number }>;
}

const CUTOFF = 10;

/**
 * Decides promotion on the real query path: held-out queries (from notes training never saw, new
 * and older ones) are searched through the app's own search over the live mixed index, once as it
 * is and once as it would be with the candidate. Only a strict gain in MRR@10 is promoted, so no
 * version is ever accepted with a loss that later versions could add to. Old notes are reported
 * apart but judged in the same one search: what a user sees is the merged list.
 */
export async function runGate(
  args: {
    heldOut: readonly TrainingPair[];
    oldPairs: readonly TrainingPair[];
    checks: readonly [GateCheck, ...GateCheck[]];
    options: GateOptions;
  },
  signal?: AbortSignal,
): Promise<GateVerdict> {
  const fresh = gateQueries(args.heldOut);
  const old = gateQueries(args.oldPairs).filter((query) => !fresh.some((f) => f.query === query.query));
  const max = args.options.maxQueries;
  // Half the queries from older notes where there are enough, so both kinds of note are judged.
  const oldCount = Math.min(old.length, Math.max(max - fresh.length, Math.floor(max / 2)));
  const oldFrom = Math.min(fresh.length, max - oldCount);
  const queries = [...fresh.slice(0, oldFrom), ...old.slice(0, oldCount)];
  const reasons: string[] = [];
  if (queries.length === 0) reasons.push('no held-out queries to judge the candidate on');
  const metrics: Record<string, number> = {
    gateQueries: queries.length,
    oldNotesQueries: queries.length - oldFrom,
  };
  const evidence: GateEvidence[] = queries.map(({ query, source }, i) => ({
    query,
    source,
    oldNote: i >= oldFrom,
    reciprocalRanks: {},
  }));
  for (const [i, check] of args.checks.entries()) {
    const before = await reciprocalRanks(check.current, queries, signal);
    const after = await reciprocalRanks(check.candidate, queries, signal);
    for (const [q, entry] of evidence.entries())
      entry.reciprocalRanks[check.name] = { before: before[q]!, after: after[q]! };
    const [b, a] = [mean(before), mean(after)];
    if (i === 0) {
      const stdError = pairedStdError(before, after);
      Object.assign(metrics, {
        mrrBefore: b,
        mrrAfter: a,
        gainStdError: stdError,
        oldNotesMrrBefore: mean(before.slice(oldFrom)),
        oldNotesMrrAfter: mean(after.slice(oldFrom)),
      });
      // The mode the user searches with must strictly gain, by more than the gain's noise...
      const needed = args.options.minGain + args.options.minStdErrors * stdError;
      if (queries.length && !(a - b > needed))
        reasons.push(
          `${check.name} search did not improve beyond noise on ${queries.length} held-out queries (MRR@10 ${fmt(b)} -> ${fmt(a)}, needed more than +${fmt(needed)})`,
        );
    } else {
      metrics[`${check.name}MrrBefore`] = b;
      metrics[`${check.name}MrrAfter`] = a;
      // ...and no other mode may lose, so switching modes never finds a worse version.
      if (b - a > args.options.maxLossInOtherModes)
        reasons.push(
          `${check.name} search got worse on ${queries.length} held-out queries (MRR@10 ${fmt(b)} -> ${fmt(a)})`,
        );
    }
  }
  return { passed: reasons.length === 0, reasons, metrics, evidence };
}

/** A query the gate searches, and every note that answers it. */
interface GateQuery {
  query: string;
  /** The first pair's source: one query text comes from one signal. */
  source: TrainingPair['source'];
  notes: Set<string>;
}

/**
 * One gate query per distinct query text, answered by any of its pairs' notes: a question with
 * several relevant notes (or several opened results) is judged by the first of them found, as a
 * user reads a list, not once per note with the others counted as misses.
 */
function gateQueries(pairs: readonly TrainingPair[]): GateQuery[] {
  const byQuery = new Map<string, GateQuery>();
  for (const pair of pairs) {
    if (!pair.note) continue;
    const known = byQuery.get(pair.query);
    if (known) known.notes.add(pair.note);
    else byQuery.set(pair.query, { query: pair.query, source: pair.source, notes: new Set([pair.note]) });
  }
  return [...byQuery.values()];
}

async function reciprocalRanks(
  search: NoteSearch,
  queries: readonly GateQuery[],
  signal?: AbortSignal,
): Promise<number[]> {
  const out: number[] = [];
  for (const { query, notes } of queries) {
    throwIfAborted(signal);
    const rank = (await search(query, signal)).slice(0, CUTOFF).findIndex((note) => notes.has(note));
    out.push(rank < 0 ? 0 : 1 / (rank + 1));
  }
  return out;
}

function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

/** The standard error of the mean of `after[i] - before[i]`. */
function pairedStdError(before: readonly number[], after: readonly number[]): number {
  const gains = after.map((value, i) => value - before[i]!);
  if (gains.length < 2) return 0;
  const average = mean(gains);
  const variance = gains.reduce((sum, gain) => sum + (gain - average) ** 2, 0) / (gains.length - 1);
  return Math.sqrt(variance / gains.length);
}

function fmt(value: number): string {
  return value.toFixed(3);
}
