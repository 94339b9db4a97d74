import { Compensator } from '../compensator.ts';
import type { FittedKind } from '../types.ts';
import { Rng, randomRotation } from './syntheticDrift.ts';

/** A compensator of the given kind with random (but sensible) parameters, for composition tests. */
export function randomCompensator(
  rng: Rng,
  kind: FittedKind,
  dims: number,
  fromVersion: string,
  toVersion: string,
) {
  const small = (length: number, scale = 0.1) => Float32Array.from(rng.normalVector(length, scale));
  const base = { fromVersion, toVersion, dims };
  switch (kind) {
    case 'mean':
      return new Compensator({ ...base, params: { kind, drift: small(dims) } });
    case 'linear': {
      const matrix = small(dims * dims, 0.2 / Math.sqrt(dims));
      for (let i = 0; i < dims; i++) matrix[i * dims + i]! += 1;
      return new Compensator({ ...base, params: { kind, matrix, bias: small(dims) } });
    }
    case 'procrustes': {
      const rotation = Float32Array.from(randomRotation(rng, dims));
      return new Compensator({
        ...base,
        params: { kind, rotation, newMean: small(dims), oldMean: small(dims) },
      });
    }
    case 'lowrank': {
      const rank = 3;
      const params = {
        kind,
        rank,
        u: small(dims * rank, 0.3),
        v: small(dims * rank, 0.3),
        newMean: small(dims),
        oldMean: small(dims),
      };
      return new Compensator({ ...base, params });
    }
  }
}
