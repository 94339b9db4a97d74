import type { Encoder } from '../encoder/types.ts';
import type { NoteIndex } from '../store/index.ts';
import { measureFloorSample } from './floorSample.ts';
import { relevanceFloor } from './relevanceFloor.ts';

/** How often a search may check whether the notes changed enough to measure the floor again. */
const RECHECK_MS = 10_000;

/**
 * The relevance floor of the current encoder on this index, measured once and measured again when
 * the encoder version changes or its row count doubles or halves. Undefined (no floor) while the
 * notes are too few to measure, or when the measurement fails: search then shows every candidate.
 */
export class RelevanceFloors {
  #key = '';
  #floor: Promise<number | undefined> = Promise.resolve(undefined);
  #checkedAtMs = -Infinity;
  #checkedVersion = '';

  async floorFor(index: NoteIndex, encoder: Encoder): Promise<number | undefined> {
    const now = Date.now();
    if (encoder.version === this.#checkedVersion && now - this.#checkedAtMs < RECHECK_MS) return this.#floor;
    this.#checkedAtMs = now;
    this.#checkedVersion = encoder.version;
    const rows = (await index.countRowsByVersion())[encoder.version] ?? 0;
    const key = `${encoder.version}:${Math.floor(Math.log2(rows + 1))}`;
    if (key !== this.#key) {
      this.#key = key;
      this.#floor = measureFloorSample(index, encoder).then(relevanceFloor, () => undefined);
    }
    return this.#floor;
  }
}
