import type { DecodedNote } from './noteFormat.ts';

const SNIFF_BYTES = 8192;
const MAX_CONTROL_RATIO = 0.1;

/** The text formats' decoding, checks in order of cost: UTF-16, binary, then strict UTF-8 (a BOM is dropped). */
export function decodeUtf8Note(bytes: Uint8Array): DecodedNote {
  if (hasUtf16Bom(bytes)) return skip('invalid-utf8', 'The file is UTF-16 text; only UTF-8 is read.');
  if (looksBinary(bytes))
    return skip('binary', 'The file looks binary (NUL bytes or many control characters).');
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    return skip('invalid-utf8', 'The file is not valid UTF-8 text.');
  }
}

/** NUL anywhere, or more than a tenth of the first 8 KiB being control characters other than whitespace. */
export function looksBinary(bytes: Uint8Array): boolean {
  if (bytes.indexOf(0) !== -1) return true;
  const sample = bytes.subarray(0, SNIFF_BYTES);
  let control = 0;
  for (const byte of sample) {
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) || byte === 0x7f)
      control++;
  }
  return sample.length > 0 && control / sample.length > MAX_CONTROL_RATIO;
}

function hasUtf16Bom(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
  );
}

function skip(reason: 'binary' | 'invalid-utf8', message: string): DecodedNote {
  return { ok: false, skipped: { reason, message } };
}
