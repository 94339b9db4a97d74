import { z } from 'zod';
import { COMPENSATOR_KINDS } from './kinds/index.ts';

export const COMPENSATOR_FORMAT = 'driftless-compensator';
export const COMPENSATOR_FORMAT_VERSION = 1;
/** Larger than any sentence encoder Driftless runs; guards against absurd allocations. */
export const MAX_DIMS = 8192;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64');
const unitInterval = z.number().min(-1).max(1);

const scoresSchema = z.object({
  meanCosine: unitInterval,
  recallAt1: unitInterval,
  recallAt10: unitInterval,
  mrr: unitInterval,
  pairs: z.number().int().nonnegative(),
});

const fitSchema = z.object({
  fittedPairs: z.number().int().nonnegative(),
  validationPairs: z.number().int().nonnegative(),
  scores: scoresSchema.optional(),
  lambda: z.number().positive().optional(),
  rank: z.number().int().positive().optional(),
});

/** The checksummed part of a compensator file. */
export const contentSchema = z.object({
  kind: z.enum(COMPENSATOR_KINDS),
  dims: z.number().int().min(1).max(MAX_DIMS),
  fromVersion: z.string().min(1),
  toVersion: z.string().min(1),
  rank: z.number().int().positive().optional(),
  /** Each parameter array as base64 of little-endian Float32. */
  params: z.record(z.string(), base64),
  fit: fitSchema.optional(),
});

export const documentSchema = z.object({
  format: z.literal(COMPENSATOR_FORMAT),
  formatVersion: z.literal(COMPENSATOR_FORMAT_VERSION),
  content: contentSchema,
  /** sha256 (hex) of the canonical JSON of format, formatVersion and content. */
  checksum: z.string().regex(/^[0-9a-f]{64}$/),
});

export type CompensatorContent = z.infer<typeof contentSchema>;
export type CompensatorDocument = z.infer<typeof documentSchema>;
