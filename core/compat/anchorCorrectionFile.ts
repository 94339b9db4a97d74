import { z } from 'zod';
import { DriftlessError } from '../base/index.ts';
import { AnchorCorrection } from './anchorCorrection.ts';
import { MAX_DIMS } from './compensatorSchema.ts';
import { readMapFile, writeMapFile } from './fileText.ts';
import { decodeSignedDocument, encodeSignedDocument } from './signedDocument.ts';
import { base64ToFloat32, float32ToBase64 } from './floatCodec.ts';

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
  const text = encodeSignedDocument({ format: FORMAT, formatVersion: FORMAT_VERSION }, content);
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
  const corrupt: (reason: string) => never = (reason) => {
    throw new DriftlessError('CORRUPT', `${filePath}: anchor correction is corrupt: ${reason}.`, {
      path: filePath,
    });
  };
  const { content } = decodeSignedDocument(text, documentSchema, corrupt);
  for (const field of ['fromVersion', 'toVersion', 'dims'] as const)
    if (content[field] !== expected[field])
      corrupt(`it is for ${field} ${content[field]}, expected ${expected[field]}`);
  if (content.neighbours > content.anchors) corrupt('more neighbours than anchors');
  const size = content.anchors * content.dims;
  const floats = (name: 'keys' | 'residuals'): Float32Array => {
    const values = base64ToFloat32(content[name]);
    if (!values || values.length !== size) corrupt(`${name} must hold ${size} Float32 values`);
    if (!values.every(Number.isFinite)) corrupt(`${name} holds values that are not finite`);
    return values;
  };
  const { neighbours, temperature, weight, dims } = content;
  const params = { keys: floats('keys'), residuals: floats('residuals'), neighbours, temperature, weight };
  return new AnchorCorrection(params, dims);
}
