import { z } from 'zod';
import { DriftlessError, sha256 } from '../base/index.ts';
import { AnchorCorrection } from './anchorCorrection.ts';
import { MAX_DIMS } from './compensatorSchema.ts';
import { readMapFile, writeMapFile } from './fileText.ts';
import { base64ToFloat32, canonicalJson, float32ToBase64 } from './floatCodec.ts';

const FORMAT = 'driftless-anchor-correction';
const FORMAT_VERSION = 1;
/** More anchors than the app ever keeps per version; guards against absurd allocations. */
const MAX_ANCHORS = 100_000;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64');

const contentSchema = z.object({
  fromVersion: z.string().min(1),
  toVersion: z.string().min(1),
  dims: z.number().int().min(1).max(MAX_DIMS),
  anchors: z.number().int().min(1).max(MAX_ANCHORS),
  neighbours: z.number().int().min(1),
  temperature: z.number().positive().max(10),
  weight: z.number().positive().max(2),
  keys: base64,
  residuals: base64,
});

const documentSchema = z.object({
  format: z.literal(FORMAT),
  formatVersion: z.literal(FORMAT_VERSION),
  content: contentSchema,
  checksum: z.string().regex(/^[0-9a-f]{64}$/),
});

/** Which versions a correction sits between: it belongs to the forward map of the same pair. */
export interface CorrectionVersions {
  fromVersion: string;
  toVersion: string;
}

/** Writes a forward map's anchor correction atomically. @throws DriftlessError IO. */
export async function saveAnchorCorrection(
  filePath: string,
  correction: AnchorCorrection,
  versions: CorrectionVersions,
): Promise<void> {
  const { keys, residuals, neighbours, temperature, weight } = correction.params;
  const content = {
    ...versions,
    dims: correction.dims,
    anchors: correction.anchors,
    neighbours,
    temperature,
    weight,
    keys: float32ToBase64(keys),
    residuals: float32ToBase64(residuals),
  };
  const header = { format: FORMAT, formatVersion: FORMAT_VERSION } as const;
  const text = JSON.stringify({
    ...header,
    content,
    checksum: sha256(canonicalJson({ ...header, content })),
  });
  await writeMapFile(filePath, text);
}

/**
 * Reads and verifies a correction file: schema, checksum, the versions and dims it is for, array
 * sizes and finite values. @throws DriftlessError NOT_FOUND, IO, or CORRUPT saying why.
 */
export async function loadAnchorCorrection(
  filePath: string,
  expected: CorrectionVersions & { dims: number },
): Promise<AnchorCorrection> {
  const text = await readMapFile(filePath);
  const problem = (reason: string) =>
    new DriftlessError('CORRUPT', `${filePath}: anchor correction is corrupt: ${reason}.`, {
      path: filePath,
    });
  const content = parse(text, problem);
  for (const field of ['fromVersion', 'toVersion', 'dims'] as const)
    if (content[field] !== expected[field])
      throw problem(`it is for ${field} ${content[field]}, expected ${expected[field]}`);
  if (content.neighbours > content.anchors) throw problem('more neighbours than anchors');
  const size = content.anchors * content.dims;
  const [keys, residuals] = [content.keys, content.residuals].map((encoded) => base64ToFloat32(encoded));
  for (const [name, values] of [
    ['keys', keys],
    ['residuals', residuals],
  ] as const) {
    if (!values || values.length !== size) throw problem(`${name} must hold ${size} Float32 values`);
    if (!values.every(Number.isFinite)) throw problem(`${name} holds values that are not finite`);
  }
  const { neighbours, temperature, weight, dims } = content;
  return new AnchorCorrection({ keys: keys!, residuals: residuals!, neighbours, temperature, weight }, dims);
}

function parse(text: string, problem: (reason: string) => Error): z.infer<typeof contentSchema> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw problem('not valid JSON (truncated?)');
  }
  const result = documentSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw problem(`${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  const { format, formatVersion, content, checksum } = result.data;
  const written = (raw as { content: unknown }).content;
  if (sha256(canonicalJson({ format, formatVersion, content: written })) !== checksum)
    throw problem('checksum mismatch');
  return content;
}
