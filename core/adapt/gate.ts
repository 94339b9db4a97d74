import { throwIfAborted } from '../base/index.ts';
import { gateQueries, hideCopiedChunks, type ChunksOfNotes, type GateQuery } from './gateEvidence.ts';
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
/**
 * The app's own search: the notes (`folderId/notePath`) a query finds, best first, never returning
 * the `hidden` chunks.
 */
export type NoteSearch = (
  query: string,
  hidden: readonly string[],
  signal?: AbortSignal,
) => Promise<string[]>;

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
   * `mrrBefore` / `mrrAfter`: MRR@10 of the gate queries' own notes in the first check (the one
   * the candidate must win), the index as it is now and with the candidate (every stored row mapped
   * into its space); `oldNotesMrr*` the part of them from notes of older versions; `<name>MrrBefore`
   * / `<name>MrrAfter` for the other checks; `gainStdError` the standard error of the first check's
   * per-query gain; `<name>LookupMrr*` each check on every query as copied, nothing hidden;
   * `copiedQueries` the queries left out as copies of every chunk of their notes.
   */
  metrics: Record<string, number>;
  /** Every query with its reciprocal rank@10 per check, before and after (kept by benchmarks). */
  evidence: GateEvidence[];
}

/** One query: where it came from, and its reciprocal rank@10 in each check it was judged by. */
export interface GateEvidence {
  query: string;
  source: TrainingPair['source'];
  oldNote: boolean;
  /** Chunks hidden while it was judged; undefined when left out as a copy of every chunk. */
  hidden?: number;
  reciprocalRanks: Record<string, { before: number; after: number }>;
}

const CUTOFF = 10;

/**
 * Decides promotion on the real query path: held-out queries (from notes training never saw, new
 * and older ones) are searched through the app's own search over the live mixed index, once as it
 * is and once as it would be with the candidate. Only a gain in MRR@10 beyond its noise is
 * promoted, so no version is ever accepted with a loss that later versions could add to. Old
 * notes are reported apart but judged in the same one search: what a user sees is the merged list.
 * With `chunksOf`, queries are judged with the chunks they were copied from hidden (see
 * `hideCopiedChunks`), and no check may lose beyond noise on every query as copied either, so
 * notes stay found by their own words.
 */
export async function runGate(
  args: {
    heldOut: readonly TrainingPair[];
    oldPairs: readonly TrainingPair[];
    checks: readonly [GateCheck, ...GateCheck[]];
    options: GateOptions;
    chunksOf?: ChunksOfNotes;
  },
  signal?: AbortSignal,
): Promise<GateVerdict> {
  const queries = selectQueries(args.heldOut, args.oldPairs, args.options.maxQueries);
  const judged = args.chunksOf ? await hideCopiedChunks(queries, args.chunksOf) : queries;
  const reasons: string[] = [];
  if (judged.length === 0) reasons.push('no held-out queries to judge the candidate on');
  const old = judged.filter((query) => query.oldNote);
  const metrics: Record<string, number> = {
    gateQueries: judged.length,
    oldNotesQueries: old.length,
    copiedQueries: queries.length - judged.length,
  };
  const ranks = new Map<string, GateEvidence['reciprocalRanks']>(queries.map((q) => [q.query, {}]));
  const compare = async (check: GateCheck, on: readonly GateQuery[], name = check.name) => {
    const before = await reciprocalRanks(check.current, on, signal);
    const after = await reciprocalRanks(check.candidate, on, signal);
    on.forEach((query, i) => (ranks.get(query.query)![name] = { before: before[i]!, after: after[i]! }));
    return { before: mean(before), after: mean(after), stdError: pairedStdError(before, after) };
  };
  const noise = (stdError: number) => args.options.minStdErrors * stdError;
  const lost = (b: number, a: number, stdError: number) =>
    b - a > args.options.maxLossInOtherModes + noise(stdError);
  for (const [i, check] of args.checks.entries()) {
    const { before: b, after: a, stdError } = await compare(check, judged);
    if (i === 0) {
      const oldRanks = old.map((query) => ranks.get(query.query)![check.name]!);
      Object.assign(metrics, {
        mrrBefore: b,
        mrrAfter: a,
        gainStdError: stdError,
        oldNotesMrrBefore: mean(oldRanks.map((rank) => rank.before)),
        oldNotesMrrAfter: mean(oldRanks.map((rank) => rank.after)),
      });
      // The judged check must strictly gain, by more than the gain's noise...
      const needed = args.options.minGain + noise(stdError);
      if (judged.length && !(a - b > needed))
        reasons.push(
          `${check.name} search did not improve beyond noise on ${judged.length} held-out queries (MRR@10 ${fmt(b)} -> ${fmt(a)}, needed more than +${fmt(needed)})`,
        );
    } else {
      metrics[`${check.name}MrrBefore`] = b;
      metrics[`${check.name}MrrAfter`] = a;
      // ...and no other may lose beyond noise: neither the mode the user searches with nor one
      // they may switch to finds a worse version.
      if (lost(b, a, stdError))
        reasons.push(
          `${check.name} search got worse on ${judged.length} held-out queries (MRR@10 ${fmt(b)} -> ${fmt(a)})`,
        );
    }
  }
  const asCopied = queries.map((query) => ({ ...query, hidden: [] }));
  for (const check of args.chunksOf && queries.length ? args.checks : []) {
    const lookup = `${check.name}Lookup`;
    const { before: b, after: a, stdError } = await compare(check, asCopied, lookup);
    Object.assign(metrics, { [`${lookup}MrrBefore`]: b, [`${lookup}MrrAfter`]: a });
    if (lost(b, a, stdError))
      reasons.push(
        `${check.name} search got worse at finding notes by their own words on ${queries.length} held-out queries (MRR@10 ${fmt(b)} -> ${fmt(a)})`,
      );
  }
  return { passed: reasons.length === 0, reasons, metrics, evidence: evidenceOf(queries, judged, ranks) };
}

function evidenceOf(
  queries: readonly GateQuery[],
  judged: readonly GateQuery[],
  ranks: ReadonlyMap<string, GateEvidence['reciprocalRanks']>,
): GateEvidence[] {
  const hidden = new Map(judged.map((query) => [query.query, query.hidden.length]));
  return queries.map(({ query, source, oldNote }) => ({
    query,
    source,
    oldNote,
    ...(hidden.has(query) ? { hidden: hidden.get(query)! } : {}),
    reciprocalRanks: ranks.get(query)!,
  }));
}

/** Up to `max` queries, half from older notes where there are enough, so both kinds are judged. */
function selectQueries(
  heldOut: readonly TrainingPair[],
  oldPairs: readonly TrainingPair[],
  max: number,
): GateQuery[] {
  const fresh = gateQueries(heldOut, false);
  const old = gateQueries(oldPairs, true).filter((query) => !fresh.some((f) => f.query === query.query));
  const oldCount = Math.min(old.length, Math.max(max - fresh.length, Math.floor(max / 2)));
  return [...fresh.slice(0, Math.min(fresh.length, max - oldCount)), ...old.slice(0, oldCount)];
}

async function reciprocalRanks(
  search: NoteSearch,
  queries: readonly GateQuery[],
  signal?: AbortSignal,
): Promise<number[]> {
  const out: number[] = [];
  for (const { query, notes, hidden } of queries) {
    throwIfAborted(signal);
    const found = await search(query, hidden, signal);
    const rank = found.slice(0, CUTOFF).findIndex((note) => notes.has(note));
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
