import { z } from 'zod';

export const fileEntrySchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
});

export const versionManifestSchema = z.object({
  formatVersion: z.literal(1),
  version: z.string().regex(/^v\d+$/),
  parent: z
    .string()
    .regex(/^v\d+$/)
    .optional(),
  backboneId: z.string().min(1),
  createdMs: z.number().int().nonnegative(),
  /** Every file of the version with its checksum; a version whose files do not match is never loaded. */
  files: z.record(z.string().regex(/^[A-Za-z0-9._-]+$/), fileEntrySchema),
  /** The compensator that maps this version's space into the parent's, if any. */
  compensator: z.object({ file: z.string(), kind: z.string(), quality: z.number() }).optional(),
  /** Gate and evaluation figures, e.g. newNotesNdcg, oldNotesNdcg. */
  metrics: z.record(z.string(), z.number()).optional(),
  /** What training produced it: steps, pairs, loss, backend, seconds. */
  training: z.record(z.string(), z.unknown()).optional(),
  note: z.string().optional(),
});

export type VersionManifest = z.infer<typeof versionManifestSchema>;

/** What a publisher hands over besides the files it wrote into the staging folder. */
export type VersionDraft = Omit<VersionManifest, 'formatVersion' | 'version' | 'files' | 'createdMs'>;

export function versionNumber(version: string): number {
  return Number(version.slice(1));
}
