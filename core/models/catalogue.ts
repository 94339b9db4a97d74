import fs from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DriftlessError } from '../base/index.ts';

const sha256Pattern = /^[0-9a-f]{64}$/;

const modelFileSchema = z.strictObject({
  /** Path inside the repository, also the path inside the installed model folder. */
  path: z
    .string()
    .min(1)
    .refine(
      (p) => !p.startsWith('/') && !p.split('/').includes('..'),
      'must be a relative path without ".."',
    ),
  role: z.enum(['model', 'tokenizer', 'tokenizerConfig', 'other']),
  /** Null: not yet known; the hash seen on first download is recorded and checked from then on. */
  sha256: z.string().regex(sha256Pattern, 'must be 64 lowercase hex digits').nullable(),
  /** Null when unknown; when set, the download must have exactly this many bytes. */
  size: z.number().int().positive().nullable(),
});

export const modelEntrySchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lowercase letters, digits, ".", "_" or "-"'),
    name: z.string().min(1),
    repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must look like "owner/name"'),
    revision: z.string().regex(/^[0-9a-f]{40}$/, 'must be a full 40-digit commit hash'),
    files: z.array(modelFileSchema).min(1),
    dimensions: z.number().int().positive(),
    maxTokens: z.number().int().positive(),
    pooling: z.enum(['mean', 'cls']),
    normalize: z.boolean(),
    queryPrefix: z.string(),
    documentPrefix: z.string(),
    licence: z.string().min(1),
  })
  .refine((e) => e.files.filter((f) => f.role === 'model').length === 1, {
    message: 'needs exactly one file with role "model"',
    path: ['files'],
  })
  .refine((e) => e.files.filter((f) => f.role === 'tokenizer').length === 1, {
    message: 'needs exactly one file with role "tokenizer"',
    path: ['files'],
  });

export const catalogueSchema = z
  .strictObject({
    $comment: z.string().optional(),
    schemaVersion: z.literal(1),
    models: z.array(modelEntrySchema),
  })
  .refine((c) => new Set(c.models.map((m) => m.id)).size === c.models.length, {
    message: 'model ids must be unique',
    path: ['models'],
  });

export type ModelFile = z.infer<typeof modelFileSchema>;
export type ModelEntry = z.infer<typeof modelEntrySchema>;
export type ModelCatalogue = z.infer<typeof catalogueSchema>;

/** The catalogue shipped with the app. */
export const DEFAULT_CATALOGUE_PATH = fileURLToPath(new URL('../../resources/models.json', import.meta.url));

/**
 * Validates catalogue JSON.
 * @throws DriftlessError CORRUPT naming `source` and every offending field.
 */
export function parseCatalogue(value: unknown, source: string): ModelCatalogue {
  const result = catalogueSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
  throw new DriftlessError(
    'CORRUPT',
    `The model catalogue ${source} is invalid:\n  ${problems.join('\n  ')}`,
    { source, problems },
  );
}

/**
 * Reads and validates a catalogue file (default: `resources/models.json`).
 * @throws DriftlessError NOT_FOUND when missing, CORRUPT when not valid JSON or not a valid catalogue.
 */
export async function loadCatalogue(file: string = DEFAULT_CATALOGUE_PATH): Promise<ModelCatalogue> {
  const source = file;
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new DriftlessError(
      'NOT_FOUND',
      `The model catalogue ${source} cannot be read.`,
      { source },
      { cause: error },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DriftlessError(
      'CORRUPT',
      `The model catalogue ${source} is not valid JSON: ${(error as Error).message}`,
      { source },
      { cause: error },
    );
  }
  return parseCatalogue(json, source);
}
