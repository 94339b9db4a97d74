/**
 * Orthonormalises `count` rows of length `length` in place, in order: modified Gram-Schmidt run
 * twice ("twice is enough" for full working precision). A row that collapses because it lay in
 * the span of the earlier rows is replaced by the standard basis vector that survives best.
 */
export function orthonormaliseRows(rows: Float64Array, count: number, length: number): void {
  for (let i = 0; i < count; i++) {
    const row = rows.subarray(i * length, (i + 1) * length);
    const kept = projectOut(rows, length, i, row) && projectOut(rows, length, i, row);
    if (!kept) replaceWithBasisVector(rows, length, i);
  }
}

/** Removes the components along rows 0..earlier-1 and normalises; false when nothing is left. */
function projectOut(rows: Float64Array, length: number, earlier: number, row: Float64Array): boolean {
  const before = vectorNorm(row);
  for (let j = 0; j < earlier; j++) {
    const other = rows.subarray(j * length, (j + 1) * length);
    let dot = 0;
    for (let k = 0; k < length; k++) dot += other[k]! * row[k]!;
    for (let k = 0; k < length; k++) row[k]! -= dot * other[k]!;
  }
  const after = vectorNorm(row);
  if (!(after > 1e-6 * before) || after === 0) return false;
  for (let k = 0; k < length; k++) row[k]! /= after;
  return true;
}

function replaceWithBasisVector(rows: Float64Array, length: number, i: number): void {
  const row = rows.subarray(i * length, (i + 1) * length);
  for (let axis = 0; axis < length; axis++) {
    row.fill(0);
    row[axis] = 1;
    if (projectOut(rows, length, i, row) && projectOut(rows, length, i, row)) return;
  }
  throw new Error('orthonormaliseRows: more rows than dimensions');
}

function vectorNorm(x: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < x.length; k++) sum += x[k]! * x[k]!;
  return Math.sqrt(sum);
}
