import type { Compensator } from '../compat/index.ts';
import type { Encoder } from '../encoder/index.ts';
import type { TrainingPair } from './types.ts';

export interface GateOptions {
  /** Least MRR gain on held-out new-note pairs (candidate vs current) to promote. */
  minNewGain: number;
  /** Largest MRR drop allowed on old-note pairs searched through the compensator. */
  oldTolerance: number;
}

export const DEFAULT_GATE: GateOptions = { minNewGain: 0, oldTolerance: 0.02 };

export interface GateVerdict {
  passed: boolean;
  /** Why the candidate was refused; empty when it passed. */
  reasons: string[];
  metrics: {
    newNotesMrrBefore: number;
    newNotesMrrAfter: number;
    oldNotesMrrBefore: number;
    oldNotesMrrCompensated: number;
    oldNotesMrrUncompensated: number;
    heldOutPairs: number;
    oldPairs: number;
  };
}

/** A retrieval task: queries, a candidate pool, and each query's positive in the pool. */
interface Task {
  queries: string[];
  pool: string[];
  positives: number[];
}

/**
 * Decides promotion. New notes: held-out pairs, queries and pool embedded by the candidate vs by the
 * current version; MRR must rise by at least `minNewGain`. Old notes: the pool stays embedded by the
 * current version (as the index rows do) and the candidate's queries go through the compensator;
 * MRR must not fall more than `oldTolerance` below the current version's own.
 */
export async function runGate(
  args: {
    heldOut: readonly TrainingPair[];
    oldPairs: readonly TrainingPair[];
    current: Encoder;
    candidate: Encoder;
    compensator: Compensator;
    options: GateOptions;
  },
  signal?: AbortSignal,
): Promise<GateVerdict> {
  const fresh = task(args.heldOut);
  const old = task(args.oldPairs.length ? args.oldPairs : args.heldOut);
  const before = await mrrOf(args.current, fresh, undefined, args.current, signal);
  const after = await mrrOf(args.candidate, fresh, undefined, args.candidate, signal);
  const oldBefore = await mrrOf(args.current, old, undefined, args.current, signal);
  const oldCompensated = await mrrOf(args.candidate, old, args.compensator, args.current, signal);
  const oldRaw = await mrrOf(args.candidate, old, undefined, args.current, signal);
  const reasons: string[] = [];
  if (after - before < args.options.minNewGain)
    reasons.push(`new notes did not improve (MRR ${fmt(before)} -> ${fmt(after)})`);
  if (oldBefore - oldCompensated > args.options.oldTolerance)
    reasons.push(
      `old notes got worse beyond the tolerance (MRR ${fmt(oldBefore)} -> ${fmt(oldCompensated)} through the compensator)`,
    );
  return {
    passed: reasons.length === 0,
    reasons,
    metrics: {
      newNotesMrrBefore: before,
      newNotesMrrAfter: after,
      oldNotesMrrBefore: oldBefore,
      oldNotesMrrCompensated: oldCompensated,
      oldNotesMrrUncompensated: oldRaw,
      heldOutPairs: fresh.queries.length,
      oldPairs: old.queries.length,
    },
  };
}

function fmt(value: number): string {
  return value.toFixed(3);
}

/** Pool: every positive and negative once; each query must find its own positive. */
function task(pairs: readonly TrainingPair[]): Task {
  const pool: string[] = [];
  const at = new Map<string, number>();
  const add = (text: string) => {
    if (!at.has(text)) at.set(text, pool.push(text) - 1);
    return at.get(text)!;
  };
  const positives = pairs.map((pair) => add(pair.positive));
  for (const pair of pairs) pair.negatives.forEach(add);
  return { queries: pairs.map((pair) => pair.query), pool, positives };
}

async function mrrOf(
  queryEncoder: Encoder,
  t: Task,
  compensator: Compensator | undefined,
  poolEncoder: Encoder,
  signal?: AbortSignal,
): Promise<number> {
  if (t.queries.length === 0) return 0;
  const rawQueries = await queryEncoder.embedQueries(t.queries, signal);
  const queries = compensator ? rawQueries.map((q) => compensator.apply(q)) : rawQueries;
  const pool = await poolEncoder.embedDocuments(t.pool, signal);
  let sum = 0;
  queries.forEach((q, i) => {
    const own = dot(q, pool[t.positives[i]!]!);
    const scores = pool.map((d) => dot(q, d));
    const better = scores.filter((score) => score > own).length;
    // Ties take the expected rank of a random order: a query that matches nothing scores chance, not 1.
    const ties = scores.filter((score) => score === own).length - 1;
    sum += 1 / (better + 1 + ties / 2);
  });
  return sum / queries.length;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
