import { createHash } from 'node:crypto';

/** Hex sha256 of a string or bytes; the identity of content everywhere in Driftless. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
