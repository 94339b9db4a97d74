import { SeededRandom as Mulberry32 } from '../base/index.ts';

/**
 * The seeded pseudo-random source of adaptation (mulberry32): the same pairs for the same seed.
 * A zero seed starts from a fixed non-zero state.
 */
export class SeededRandom extends Mulberry32 {
  constructor(seed: number) {
    super(seed >>> 0 || 0x9e3779b9);
  }
}
