import type { TrainingPair } from '../types.ts';
import { SeededRandom } from '../../base/index.ts';

/** One step's texts: queries, the distinct documents, and which document each query should find. */
export interface StepBatch {
  readonly queries: string[];
  /** Distinct document texts: the positives, then the hard negatives. */
  readonly documents: string[];
  /** For each query, the index of its positive in `documents`. */
  readonly labels: number[];
  /** For each query, document indices that are not its negatives (other answers to the same query text), besides the label. */
  readonly excluded: number[][];
}

/** Where the sampler stands; stored in checkpoints so a resumed run draws the same batches. */
export interface SamplerState {
  readonly rng: number;
  readonly order: number[];
  readonly cursor: number;
}

/**
 * Draws batches of pairs without replacement within an epoch (a seeded shuffle per epoch) and up
 * to `negativesPerPair` hard negatives per pair (a seeded choice when a pair has more). The other
 * pairs' documents of the batch are in-batch negatives.
 */
export class PairSampler {
  private readonly rng: SeededRandom;
  private order: number[];
  private cursor: number;

  constructor(
    private readonly pairs: readonly TrainingPair[],
    private readonly batchSize: number,
    private readonly negativesPerPair: number,
    start: SamplerState | { seed: number },
  ) {
    if ('seed' in start) {
      this.rng = new SeededRandom(start.seed);
      this.order = this.rng.shuffle(pairs.map((_, i) => i));
      this.cursor = 0;
    } else {
      this.rng = new SeededRandom(start.rng);
      this.order = [...start.order];
      this.cursor = start.cursor;
    }
  }

  get state(): SamplerState {
    return { rng: this.rng.state, order: [...this.order], cursor: this.cursor };
  }

  next(): StepBatch {
    const size = Math.min(this.batchSize, this.pairs.length);
    const chosen = new Set<number>();
    while (chosen.size < size) chosen.add(this.nextIndex());
    const pairs = [...chosen].map((i) => this.pairs[i] as TrainingPair);
    const negatives = pairs.map((pair) => this.pickNegatives(pair.negatives));
    const documents = [...new Set([...pairs.map((p) => p.positive), ...negatives.flat()])];
    const indexOf = new Map(documents.map((text, i) => [text, i]));
    const labels = pairs.map((p) => indexOf.get(p.positive) ?? 0);
    // A query asked in several pairs of the batch (a question with many relevant notes, or several
    // clicks) has every one of their positives as an answer: none of them is its negative.
    const answers = new Map<string, Set<number>>();
    pairs.forEach((p, q) => answers.set(p.query, (answers.get(p.query) ?? new Set()).add(labels[q]!)));
    const excluded = pairs.map((p, q) => [...answers.get(p.query)!].filter((d) => d !== labels[q]));
    return { queries: pairs.map((p) => p.query), documents, labels, excluded };
  }

  private nextIndex(): number {
    if (this.cursor >= this.order.length) {
      this.order = this.rng.shuffle(this.pairs.map((_, i) => i));
      this.cursor = 0;
    }
    return this.order[this.cursor++] ?? 0;
  }

  private pickNegatives(negatives: readonly string[]): string[] {
    if (negatives.length <= this.negativesPerPair) return [...negatives];
    return this.rng.shuffle(negatives).slice(0, this.negativesPerPair);
  }
}
