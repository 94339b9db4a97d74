import type { z } from 'zod';
import { sha256 } from '../base/index.ts';
import { canonicalJson } from './floatCodec.ts';

/** What names a file's kind: its `format` and `formatVersion`. */
export interface DocumentHeader {
  format: string;
  formatVersion: number;
}

/**
 * A file's JSON text: the header, the content and a sha256 of the canonical JSON of both, so a file
 * damaged on disk (or edited by hand) is told from a whole one.
 */
export function encodeSignedDocument(header: DocumentHeader, content: unknown): string {
  return JSON.stringify({ ...header, content, checksum: checksumOf({ ...header, content }) });
}

/**
 * Parses a signed document and checks it against `schema` and its checksum, which covers the content
 * as written (including any field this version does not know). `corrupt` throws the caller's error.
 */
export function decodeSignedDocument<D extends DocumentHeader & { content: unknown; checksum: string }>(
  text: string,
  schema: z.ZodType<D>,
  corrupt: (reason: string) => never,
): D {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    corrupt('not valid JSON (truncated?)');
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    corrupt(`${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  const { format, formatVersion } = result.data;
  const written = raw as { content: unknown; checksum: unknown };
  if (checksumOf({ format, formatVersion, content: written.content }) !== written.checksum)
    corrupt('checksum mismatch');
  return result.data;
}

function checksumOf(value: unknown): string {
  return sha256(canonicalJson(value));
}
