/** A run of inputs of similar length, with their positions in the caller's order. */
export interface Batch {
  readonly positions: readonly number[];
  readonly ids: ReadonlyArray<readonly number[]>;
}

/**
 * Groups token-id lists into batches of at most `maxBatch` rows and `maxBatchTokens` padded
 * tokens, longest first, so that each batch pads little. Positions let results return in order.
 */
export function bucketByLength(
  encoded: ReadonlyArray<readonly number[]>,
  maxBatch: number,
  maxBatchTokens: number,
): Batch[] {
  const order = encoded
    .map((_, i) => i)
    .sort((a, b) => (encoded[b]?.length ?? 0) - (encoded[a]?.length ?? 0));
  const batches: Batch[] = [];
  let positions: number[] = [];
  let width = 0;
  for (const position of order) {
    const length = Math.max(1, encoded[position]?.length ?? 0);
    if (
      positions.length > 0 &&
      (positions.length >= maxBatch || (positions.length + 1) * width > maxBatchTokens)
    ) {
      batches.push(toBatch(encoded, positions));
      positions = [];
    }
    if (positions.length === 0) width = length;
    positions.push(position);
  }
  if (positions.length > 0) batches.push(toBatch(encoded, positions));
  return batches;
}

function toBatch(encoded: ReadonlyArray<readonly number[]>, positions: number[]): Batch {
  return { positions, ids: positions.map((p) => encoded[p] ?? []) };
}

/** Dense int64 ids and mask [rows, width], zero-padded on the right. */
export function toDenseInputs(ids: ReadonlyArray<readonly number[]>): {
  inputIds: BigInt64Array;
  mask: BigInt64Array;
  width: number;
} {
  const width = Math.max(1, ...ids.map((row) => row.length));
  const inputIds = new BigInt64Array(ids.length * width);
  const mask = new BigInt64Array(ids.length * width);
  ids.forEach((row, r) => {
    row.forEach((id, c) => {
      inputIds[r * width + c] = BigInt(id);
      mask[r * width + c] = 1n;
    });
  });
  return { inputIds, mask, width };
}
