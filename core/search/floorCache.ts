import { logAndContinue } from '../base/index.ts';
import type { Encoder } from '../encoder/types.ts';
import type { NoteIndex } from '../store/index.ts';
import { readStoredFloors, writeStoredFloors, type FloorKey } from './floorFile.ts';
import { measureFloorSample } from './floorSample.ts';
import { floorsFrom, type RelevanceFloors } from './relevanceFloor.ts';

/** How often a search may check whether the notes changed enough to measure the floor again. */
const RECHECK_MS = 10_000;

export interface MeasuredFloorsOptions {
  /**
   * Given each write of measured floors, which starts once a measurement resolves and which no
   * search waits for: the app counts it with its searches, so closing waits for the file.
   */
  trackWrite?: (write: Promise<void>) => void;
}

/**
 * The relevance floors of the current encoder on this index, measured once and measured again when
 * the encoder version changes or its row count doubles or halves. Undefined (no floor) while the
 * notes are too few to measure, or when the measurement fails: search then shows every candidate.
 *
 * Given the index's folder, the floors are also kept there under the same key, so the next process
 * (every `driftless search` is one) reads them instead of paying for a measurement before its first
 * result.
 */
export class MeasuredFloors {
  readonly #trackWrite: (write: Promise<void>) => void;
  #key = '';
  #floors: Promise<RelevanceFloors | undefined> = Promise.resolve(undefined);
  #checkedAtMs = -Infinity;
  #checked = '';

  constructor(options: MeasuredFloorsOptions = {}) {
    this.#trackWrite = options.trackWrite ?? (() => undefined);
  }

  /** @param keepIn the index's folder, where floors are stored for later processes (none: memory only) */
  async floorsFor(index: NoteIndex, encoder: Encoder, keepIn?: string): Promise<RelevanceFloors | undefined> {
    const now = Date.now();
    // The folder is part of the key: each search model has its own index, and its own "v0".
    const checked = `${keepIn ?? ''}\0${encoder.version}`;
    if (checked === this.#checked && now - this.#checkedAtMs < RECHECK_MS) return this.#floors;
    this.#checkedAtMs = now;
    this.#checked = checked;
    const rows = (await index.countRowsByVersion())[encoder.version] ?? 0;
    const key: FloorKey = { encoderVersion: encoder.version, rowBucket: Math.floor(Math.log2(rows + 1)) };
    if (`${checked}\0${key.rowBucket}` !== this.#key) {
      this.#key = `${checked}\0${key.rowBucket}`;
      this.#floors = this.#storedOrMeasured(index, encoder, key, keepIn);
    }
    return this.#floors;
  }

  /** Never rejects: a cache that cannot be read is measured again, one that cannot be written is logged. */
  async #storedOrMeasured(
    index: NoteIndex,
    encoder: Encoder,
    key: FloorKey,
    keepIn: string | undefined,
  ): Promise<RelevanceFloors | undefined> {
    const stored = keepIn === undefined ? undefined : await readStoredFloors(keepIn, key);
    if (stored) return stored.floors;
    let floors: RelevanceFloors | undefined;
    try {
      floors = floorsFrom(await measureFloorSample(index, encoder));
    } catch {
      return undefined; // a failed measurement is no floor, and nothing to keep
    }
    if (keepIn !== undefined) {
      this.#trackWrite(
        writeStoredFloors(keepIn, key, floors).catch(logAndContinue('Storing the relevance floors')),
      );
    }
    return floors;
  }
}
