import type { Encoder } from '../encoder/types.ts';
import type { NoteIndex } from '../store/index.ts';
import { measureFloorSample } from './floorSample.ts';
import { floorsFrom, type RelevanceFloors } from './relevanceFloor.ts';

/** How often a search may check whether the notes changed enough to measure the floor again. */
const RECHECK_MS = 10_000;

/**
 * The relevance floors of the current encoder on this index, measured once and measured again when
 * the encoder version changes or its row count doubles or halves. Undefined (no floor) while the
 * notes are too few to measure, or when the measurement fails: search then shows every candidate.
 */
export class MeasuredFloors {
  #key = '';
  #floors: Promise<RelevanceFloors | undefined> = Promise.resolve(undefined);
  #checkedAtMs = -Infinity;
  #checkedVersion = '';

  async floorsFor(index: NoteIndex, encoder: Encoder): Promise<RelevanceFloors | undefined> {
    const now = Date.now();
    if (encoder.version === this.#checkedVersion && now - this.#checkedAtMs < RECHECK_MS) return this.#floors;
    this.#checkedAtMs = now;
    this.#checkedVersion = encoder.version;
    const rows = (await index.countRowsByVersion())[encoder.version] ?? 0;
    const key = `${encoder.version}:${Math.floor(Math.log2(rows + 1))}`;
    if (key !== this.#key) {
      this.#key = key;
      this.#floors = measureFloorSample(index, encoder).then(floorsFrom, () => undefined);
    }
    return this.#floors;
  }
}
