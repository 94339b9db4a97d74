import { multiply, multiplyVector } from '../dense.ts';
import { seededRandom } from '../../base/index.ts';

/** Deterministic random numbers for synthetic embeddings: uniform and standard normal. */
export class Rng {
  readonly uniform: () => number;

  constructor(seed: number) {
    this.uniform = seededRandom(seed);
  }

  normal(): number {
    const u = Math.max(this.uniform(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }

  normalVector(dims: number, scale = 1): Float64Array {
    return Float64Array.from({ length: dims }, () => this.normal() * scale);
  }
}

/**
 * Unit vectors shaped like sentence embeddings: a shared mean direction, a few strong topic axes
 * and isotropic noise, so the cloud is anisotropic (a common direction, uneven variance).
 */
export function embeddingLikeVectors(rng: Rng, n: number, dims: number): Float32Array[] {
  const common = rng.normalVector(dims, 1 / Math.sqrt(dims));
  const topics = Array.from({ length: 8 }, () => rng.normalVector(dims, 1 / Math.sqrt(dims)));
  return Array.from({ length: n }, () => {
    const v = rng.normalVector(dims, 0.6 / Math.sqrt(dims));
    for (let i = 0; i < dims; i++) v[i]! += common[i]!;
    for (const topic of topics) {
      const weight = rng.normal() * 0.7;
      for (let i = 0; i < dims; i++) v[i]! += weight * topic[i]!;
    }
    return unit(v);
  });
}

/** A uniformly random rotation (Gram-Schmidt on a Gaussian matrix), dims x dims row-major. */
export function randomRotation(rng: Rng, dims: number): Float64Array {
  const rows = rng.normalVector(dims * dims);
  for (let i = 0; i < dims; i++) {
    const row = rows.subarray(i * dims, (i + 1) * dims);
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < i; j++) {
        const other = rows.subarray(j * dims, (j + 1) * dims);
        const dot = other.reduce((sum, value, k) => sum + value * row[k]!, 0);
        for (let k = 0; k < dims; k++) row[k]! -= dot * other[k]!;
      }
    }
    const length = Math.hypot(...row);
    for (let k = 0; k < dims; k++) row[k]! /= length;
  }
  return rows;
}

/** I + a b^T with a rank-`rank` random a, b of the given size per entry. */
export function lowRankPerturbation(rng: Rng, dims: number, rank: number, size: number): Float64Array {
  const a = rng.normalVector(dims * rank, size / Math.sqrt(dims));
  const b = rng.normalVector(rank * dims, 1 / Math.sqrt(dims));
  const out = multiply(a, b, dims, rank, dims);
  for (let i = 0; i < dims; i++) out[i * dims + i]! += 1;
  return out;
}

/** matrix v + shift + Gaussian noise (per-entry sd `noise`), optionally re-normalised to unit length. */
export function transformVectors(
  rng: Rng,
  vectors: readonly Float32Array[],
  transform: { matrix?: Float64Array; shift?: Float64Array; noise?: number; normalise?: boolean },
): Float32Array[] {
  return vectors.map((v) => {
    const dims = v.length;
    const out = transform.matrix ? multiplyVector(transform.matrix, dims, dims, v) : Float64Array.from(v);
    for (let i = 0; i < dims; i++)
      out[i]! += (transform.shift?.[i] ?? 0) + (transform.noise ?? 0) * rng.normal();
    return transform.normalise ? unit(out) : Float32Array.from(out);
  });
}

export function unit(v: ArrayLike<number>): Float32Array {
  const length = Math.sqrt(Array.from(v).reduce((sum, value) => sum + value * value, 0));
  return Float32Array.from(v, (value) => value / length);
}

/**
 * Notes of a few topics, four chunks each, whose new vectors moved by a shift of their own topic
 * (what fine-tuning does to the texts a task is about) after a rotation of the whole space: one
 * matrix can undo the rotation but only averages the per-topic shifts.
 */
export function topicalDrift(seed: number, notes: number, dims: number) {
  const rng = new Rng(seed);
  // More topics than dimensions: no matrix can give each its own shift.
  const topics = 4 * dims;
  const centres = embeddingLikeVectors(rng, topics, dims);
  const shifts = embeddingLikeVectors(rng, topics, dims);
  const rotation = randomRotation(rng, dims);
  const rows = { stored: [] as Float32Array[], current: [] as Float32Array[], notes: [] as string[] };
  for (let note = 0; note < notes; note++) {
    const topic = note % topics;
    for (let chunk = 0; chunk < 4; chunk++) {
      const stored = unit(centres[topic]!.map((value) => value + 0.1 * rng.normal()));
      const [rotated] = transformVectors(rng, [stored], { matrix: rotation, noise: 0, normalise: true });
      rows.stored.push(stored);
      rows.current.push(unit(rotated!.map((value, i) => value + 0.8 * shifts[topic]![i]!)));
      rows.notes.push(`note-${note}`);
    }
  }
  return rows;
}
