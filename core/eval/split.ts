import { DriftlessError, sha256 } from '../base/index.ts';
import type { QuerySplit, SplitOptions } from './types.ts';

/**
 * Splits query ids into train and test sides, deterministically and independently per id: an id goes
 * to test when `u < testRatio`, where `u` is the first 32 bits of sha256(`${seed}\n${id}`) read as a
 * big-endian unsigned integer and divided by 2^32. The same id and seed always land on the same side,
 * whatever the other ids are, and both sides keep the input order.
 *
 * @throws DriftlessError INVALID_ARGUMENT when testRatio is outside [0, 1].
 */
export function splitQueries(queryIds: Iterable<string>, options: SplitOptions): QuerySplit {
  const { testRatio, seed } = options;
  if (!(testRatio >= 0 && testRatio <= 1)) {
    throw new DriftlessError('INVALID_ARGUMENT', `testRatio must be in [0, 1], got ${testRatio}`, {
      testRatio,
    });
  }
  const split: QuerySplit = { train: [], test: [] };
  for (const id of queryIds) {
    (unitHash(`${seed}\n${id}`) < testRatio ? split.test : split.train).push(id);
  }
  return split;
}

/** A uniform value in [0, 1) derived from a string; used for splits and fixed samples. */
export function unitHash(key: string): number {
  return Number.parseInt(sha256(key).slice(0, 8), 16) / 2 ** 32;
}
