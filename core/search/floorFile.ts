import path from 'node:path';
import { z } from 'zod';
import { readJsonFile, removeAbandonedTempFiles, writeJsonAtomic } from '../base/index.ts';
import type { RelevanceFloors } from './relevanceFloor.ts';

/** The file in an index folder that keeps its measured floors for the processes that come later. */
export const FLOORS_FILE = 'relevance-floors.json';

/**
 * Raise it when the way floors are sampled or derived changes (floorSample.ts, relevanceFloor.ts):
 * floors an older Driftless stored are then measured again instead of trusted.
 */
const FLOORS_METHOD = 2;

/** What a measurement is valid for: the encoder version and the log2 bucket of its row count. */
export interface FloorKey {
  encoderVersion: string;
  rowBucket: number;
}

// A dense cosine: Infinity (`1e999` parses as one), NaN and values no cosine takes are refused.
const cosine = z.number().min(-1).max(1);

const storedSchema = z.object({
  method: z.literal(FLOORS_METHOD),
  encoderVersion: z.string().min(1),
  rowBucket: z.number().int().min(0),
  /** null: measured, and the notes were too few to set a floor. */
  floors: z
    .object({ match: cosine, related: cosine.optional() })
    .refine((floors) => floors.related === undefined || floors.related <= floors.match)
    .nullable(),
});

/**
 * The floors stored in `dir` for `key`: `{ floors }` (undefined floors when the notes were too few),
 * or undefined when there are none to trust (no file, another key, unreadable or malformed), which
 * only means measuring again: a cache never stops a search.
 */
export async function readStoredFloors(
  dir: string,
  key: FloorKey,
): Promise<{ floors: RelevanceFloors | undefined } | undefined> {
  const stored = await readJsonFile(path.join(dir, FLOORS_FILE), storedSchema).catch(() => undefined);
  if (stored?.encoderVersion !== key.encoderVersion || stored.rowBucket !== key.rowBucket) return undefined;
  if (stored.floors === null) return { floors: undefined };
  const { match, related } = stored.floors;
  return { floors: related === undefined ? { match } : { match, related } };
}

/**
 * Stores the floors measured for `key` in `dir`, replacing what was there. Atomic with a temp file
 * unique to the write, so processes storing at the same moment leave one whole file; temp files of
 * killed writers are swept first.
 */
export async function writeStoredFloors(
  dir: string,
  key: FloorKey,
  floors: RelevanceFloors | undefined,
): Promise<void> {
  await removeAbandonedTempFiles(dir);
  const stored: z.input<typeof storedSchema> = { method: FLOORS_METHOD, ...key, floors: floors ?? null };
  await writeJsonAtomic(path.join(dir, FLOORS_FILE), stored);
}
