/**
 * The Procrustes rotation two ways, timed and checked in one run: `orthogonalPolar` (SVD of the
 * cross-covariance, ml-matrix) against `eigenPolar` (the route it replaced: eig of C^T C).
 * Accuracy is the largest entry of R - Q for a C whose exact polar factor Q is known, on a
 * well-conditioned C and on one whose smallest singular value is below rounding of C^T C.
 */
import { multiply, transpose } from '../../core/compat/dense.ts';
import { orthogonalPolar } from '../../core/compat/orthogonalPolar.ts';
import { eigenPolar } from '../../core/compat/testing/eigenPolar.ts';
import { Rng, randomRotation } from '../../core/compat/testing/syntheticDrift.ts';

type Polar = (c: Float64Array, n: number) => Float64Array;

/** C = Q W diag(s) W^T with a known polar factor Q. */
function knownPolar(rng: Rng, n: number, singular: (i: number) => number) {
  const q = randomRotation(rng, n);
  const w = randomRotation(rng, n);
  const scaled = w.map((value, at) => value * singular(at % n));
  return { q, c: multiply(q, multiply(scaled, transpose(w, n, n), n, n, n), n, n, n) };
}

function maxError(r: Float64Array, q: Float64Array): number {
  return r.reduce((max, value, i) => Math.max(max, Math.abs(value - q[i]!)), 0);
}

function orthogonalityError(r: Float64Array, n: number): number {
  const gram = multiply(r, transpose(r, n, n), n, n, n);
  return gram.reduce((max, value, at) => Math.max(max, Math.abs(value - (at % (n + 1) === 0 ? 1 : 0))), 0);
}

function timed(polar: Polar, c: Float64Array, n: number, repeats: number) {
  const ms: number[] = [];
  let r: Float64Array = new Float64Array(0);
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    r = polar(c, n);
    ms.push(performance.now() - started);
  }
  return { r, ms: Math.min(...ms) };
}

function measure(polar: Polar, cases: ReturnType<typeof knownPolar>[], n: number, repeats: number) {
  const [wellConditioned, illConditioned] = cases;
  const speed = timed(polar, wellConditioned!.c, n, repeats);
  const ill = polar(illConditioned!.c, n);
  return {
    ms: Math.round(speed.ms),
    maxErrorWellConditioned: maxError(speed.r, wellConditioned!.q),
    maxErrorIllConditioned: maxError(ill, illConditioned!.q),
    orthogonalityErrorIllConditioned: orthogonalityError(ill, n),
  };
}

/** Old and new at `dims` (minimum time of `repeats` runs each), with new/old ratios. */
export function procrustesReport(dims: number, repeats: number) {
  const rng = new Rng(17);
  const cases = [
    knownPolar(rng, dims, (i) => 1 + i / dims),
    knownPolar(rng, dims, (i) => (i === dims - 1 ? 1e-13 : i === dims - 2 ? 1e-2 : 1 - i / dims / 2)),
  ];
  const svd = measure(orthogonalPolar, cases, dims, repeats);
  const eigen = measure(eigenPolar, cases, dims, repeats);
  return {
    dims,
    repeats,
    svd,
    eigenOfCtC: eigen,
    svdOverEigen: {
      time: Math.round((svd.ms / eigen.ms) * 100) / 100,
      maxErrorIllConditioned: svd.maxErrorIllConditioned / eigen.maxErrorIllConditioned,
    },
  };
}
