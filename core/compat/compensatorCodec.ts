import { DriftlessError } from '../base/index.ts';
import { Compensator } from './compensator.ts';
import {
  COMPENSATOR_FORMAT,
  COMPENSATOR_FORMAT_VERSION,
  documentSchema,
  type CompensatorContent,
} from './compensatorSchema.ts';
import { base64ToFloat32, float32ToBase64 } from './floatCodec.ts';
import { kindNamed, kindOf } from './kinds/index.ts';
import { paramArrays, paramsProblem } from './paramsCheck.ts';
import { decodeSignedDocument, encodeSignedDocument } from './signedDocument.ts';
import type { CompensatorParams } from './types.ts';

/** A compensator as the JSON text of its file, checksum included. */
export function encodeCompensator(compensator: Compensator): string {
  const { fromVersion, toVersion, dims, params, fit } = compensator;
  const content: CompensatorContent = {
    kind: params.kind,
    dims,
    fromVersion,
    toVersion,
    ...kindOf(params).fields?.(params),
    params: Object.fromEntries(
      paramArrays(params, dims).map(([name, values]) => [name, float32ToBase64(values)]),
    ),
    ...(fit ? { fit } : {}),
  };
  return encodeSignedDocument(
    { format: COMPENSATOR_FORMAT, formatVersion: COMPENSATOR_FORMAT_VERSION },
    content,
  );
}

/**
 * Parses and verifies a compensator file's text.
 * @throws DriftlessError CORRUPT for malformed JSON, a schema or checksum mismatch, parameter arrays
 * of the wrong size, non-finite values, or dims other than `expectedDims`.
 */
export function decodeCompensator(text: string, expectedDims?: number): Compensator {
  const { content } = decodeSignedDocument(text, documentSchema, corrupt);
  if (expectedDims !== undefined && content.dims !== expectedDims) {
    corrupt(`expected ${expectedDims} dims, the file has ${content.dims}`);
  }
  const params = decodeParams(content);
  const problem = paramsProblem(params, content.dims);
  if (problem) corrupt(problem);
  const { fromVersion, toVersion, dims, fit } = content;
  return new Compensator({ fromVersion, toVersion, dims, params, ...(fit ? { fit } : {}) });
}

function decodeParams(content: CompensatorContent): CompensatorParams {
  const array = (name: string): Float32Array => {
    const encoded = content.params[name];
    const values = encoded === undefined ? undefined : base64ToFloat32(encoded);
    if (!values) corrupt(`parameter ${name} is missing or not whole Float32 values`);
    return values;
  };
  return kindNamed(content.kind).decode({ kind: content.kind, rank: content.rank, array, corrupt });
}

function corrupt(reason: string): never {
  throw new DriftlessError('CORRUPT', `Compensator file is corrupt: ${reason}.`);
}
