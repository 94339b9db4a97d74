import type { FeedbackEvent } from '../store/index.ts';
import { SeededRandom } from '../base/index.ts';
import { EventLoopTurns } from './turns.ts';
import {
  cleanPairsInTurns,
  feedbackNoteKey,
  holdOut,
  pairsFromFeedback,
  selfSupervisedPairs,
  type NoteDocument,
  type PassageOf,
  type SelfSupervisedOptions,
  DEFAULT_SELF_SUPERVISED,
} from './signals/index.ts';
import type { TrainingPair } from './types.ts';

const DEFAULT_MAX_NEW_PAIRS = 4000;

export interface PairPlan {
  train: TrainingPair[];
  /** Pairs of new notes that training never saw, for the gate. */
  heldOut: TrainingPair[];
  /** Pairs of older notes for the gate, from notes other than the replayed ones. */
  old: TrainingPair[];
}

export interface PairOptions {
  seed: number;
  heldOutFraction: number;
  /** Replayed old-note pairs, as a share of the new training pairs. */
  replayFraction: number;
  /** Old-note pairs the gate checks at most. */
  maxOldPairs: number;
  /**
   * Self-supervised pairs from new notes at most (default 4000), a seeded sample beyond that: the
   * first run over a large collection would otherwise embed every note's pairs several times over
   * (hard-negative mining, gate, compensator fit). Feedback pairs are always kept.
   */
  maxNewPairs?: number;
  /** How many pairs of each self-supervised kind a note gives. */
  selfSupervised?: Partial<SelfSupervisedOptions>;
}

/**
 * Builds the pairs of one adaptation run: self-supervised pairs from notes embedded by the current
 * version (the new and changed ones), pairs from feedback, a held-out part for the gate, and a
 * small replay of pairs from older notes. Runs on the thread that serves search, over every note
 * of the collection (about half a millisecond each), so it gives the event loop turns as it goes.
 */
export async function planPairs(
  notes: readonly NoteDocument[],
  currentVersion: string,
  feedback: readonly FeedbackEvent[],
  options: PairOptions,
  turns = new EventLoopTurns(),
): Promise<PairPlan> {
  const random = new SeededRandom(options.seed);
  const kinds = { ...DEFAULT_SELF_SUPERVISED, ...options.selfSupervised };
  const fresh = notes.filter((note) => note.encoderVersion === currentVersion);
  const older = notes.filter((note) => note.encoderVersion !== currentVersion);
  const pairsOf = async (some: readonly NoteDocument[]) => {
    const pairs: TrainingPair[] = [];
    await turns.forEach(some, (note) => {
      const key = feedbackNoteKey(note);
      for (const pair of selfSupervisedPairs(note, random, kinds)) pairs.push({ ...pair, note: key });
    });
    return cleanPairsInTurns(pairs, turns);
  };
  const selfPairs = capped(await pairsOf(fresh), options.maxNewPairs ?? DEFAULT_MAX_NEW_PAIRS, options.seed);
  const feedbackPairs = pairsFromFeedback(feedback, passageLookup(notes));
  const { train, heldOut } = holdOut([...feedbackPairs, ...selfPairs], options.heldOutFraction, options.seed);
  const replayCount = Math.round(train.length * options.replayFraction);
  const oldPairs = random.sample(await pairsOf(older), options.maxOldPairs + replayCount);
  // Replayed and gate pairs come from different notes: the gate judges notes training never saw.
  const split = holdOut(oldPairs, oldPairs.length ? options.maxOldPairs / oldPairs.length : 0, options.seed);
  const replay = split.train
    .slice(0, replayCount)
    .map((pair): TrainingPair => ({ ...pair, source: 'replay' }));
  return { train: [...train, ...replay], heldOut, old: split.heldOut.slice(0, options.maxOldPairs) };
}

/** At most `max` of the pairs, a seeded sample drawn apart from the plan's own random stream. */
function capped(pairs: TrainingPair[], max: number, seed: number): TrainingPair[] {
  return pairs.length <= max ? pairs : new SeededRandom(seed + 1).sample(pairs, max);
}

/** A note's chunk text by chunk id, else its first section. */
export function passageLookup(notes: readonly NoteDocument[]): PassageOf {
  const byKey = new Map(notes.map((note) => [feedbackNoteKey(note), note]));
  return (noteKey, chunkId) => {
    const note = byKey.get(noteKey);
    if (!note) return undefined;
    const section =
      note.sections.find((s) => chunkId !== undefined && s.chunkId === chunkId) ?? note.sections[0];
    return section?.text;
  };
}
