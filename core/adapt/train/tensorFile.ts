import { DriftlessError } from '../../base/index.ts';

/** A float tensor as written to disk. */
export interface StoredTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Where a tensor lies in a float blob, in floats. */
export interface TensorEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly offset: number;
  readonly length: number;
}

const MAGIC = 0x4254_4c44; // 'DLTB' little-endian

/** Concatenates the tensors' floats (little-endian float32) and lists where each one lies. */
export function packFloats(tensors: readonly StoredTensor[]): { bytes: Uint8Array; entries: TensorEntry[] } {
  const total = tensors.reduce((sum, t) => sum + t.data.length, 0);
  const floats = new Float32Array(total);
  const entries: TensorEntry[] = [];
  let offset = 0;
  for (const t of tensors) {
    floats.set(t.data, offset);
    entries.push({ name: t.name, shape: [...t.shape], offset, length: t.data.length });
    offset += t.data.length;
  }
  return { bytes: new Uint8Array(floats.buffer), entries };
}

/** The tensors of a float blob, by name; CORRUPT when an entry falls outside it. */
export function unpackFloats(bytes: Uint8Array, entries: readonly TensorEntry[]): Map<string, Float32Array> {
  if (bytes.byteLength % 4 !== 0) throw new DriftlessError('CORRUPT', 'A weight file has a torn size.');
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const tensors = new Map<string, Float32Array>();
  for (const e of entries) {
    if (e.offset < 0 || e.offset + e.length > floats.length)
      throw new DriftlessError('CORRUPT', `The weight ${e.name} lies outside its file.`, { name: e.name });
    tensors.set(e.name, floats.slice(e.offset, e.offset + e.length));
  }
  return tensors;
}

/** One self-describing file: magic, header length, JSON header (with the tensor index), floats. */
export function encodeTensorFile(
  header: Record<string, unknown>,
  tensors: readonly StoredTensor[],
): Uint8Array {
  const { bytes, entries } = packFloats(tensors);
  const json = new TextEncoder().encode(JSON.stringify({ ...header, tensors: entries }));
  const headerBytes = Math.ceil(json.byteLength / 4) * 4;
  const out = new Uint8Array(8 + headerBytes + bytes.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, headerBytes, true);
  out.fill(0x20, 8, 8 + headerBytes);
  out.set(json, 8);
  out.set(bytes, 8 + headerBytes);
  return out;
}

/** Reads a file written by `encodeTensorFile`. */
export function decodeTensorFile(bytes: Uint8Array): {
  header: Record<string, unknown>;
  tensors: Map<string, Float32Array>;
} {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || view.getUint32(0, true) !== MAGIC)
    throw new DriftlessError('CORRUPT', 'Not a tensor file.');
  const headerBytes = view.getUint32(4, true);
  if (8 + headerBytes > bytes.byteLength) throw new DriftlessError('CORRUPT', 'A tensor file is truncated.');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerBytes))) as Record<
      string,
      unknown
    >;
  } catch (error) {
    throw new DriftlessError('CORRUPT', 'A tensor file has an unreadable header.', undefined, {
      cause: error,
    });
  }
  const entries = Array.isArray(header.tensors) ? (header.tensors as TensorEntry[]) : [];
  return { header, tensors: unpackFloats(bytes.subarray(8 + headerBytes), entries) };
}
