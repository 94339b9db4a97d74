import { DriftlessError } from '../base/index.ts';
import { composeAffine, identityAffine, type AffineMap } from './affineMap.ts';
import { mapVector } from './mapVector.ts';
import { paramsProblem } from './paramsCheck.ts';
import type { CompensatorKind, CompensatorParams, CompensatorSpec, FitInfo } from './types.ts';

/**
 * A map from a newer encoder version's embedding space into an older one's, applied to query
 * vectors so that an index built with the older version can be searched without re-embedding.
 * Immutable once built.
 *
 * @example
 * const oldSpaceQuery = compensator.apply(await encoder.embedQueries([text]).then((v) => v[0]!));
 */
export class Compensator {
  readonly fromVersion: string;
  readonly toVersion: string;
  readonly dims: number;
  readonly params: CompensatorParams;
  readonly fit: FitInfo | undefined;

  /** @throws DriftlessError INVALID_ARGUMENT when the parameters do not fit `dims` or are not finite. */
  constructor(spec: CompensatorSpec) {
    const problem = paramsProblem(spec.params, spec.dims);
    if (problem)
      throw new DriftlessError('INVALID_ARGUMENT', `Invalid ${spec.params.kind} compensator: ${problem}`);
    this.fromVersion = spec.fromVersion;
    this.toVersion = spec.toVersion;
    this.dims = spec.dims;
    this.params = spec.params;
    this.fit = spec.fit;
  }

  /** The identity map: a version onto itself, or between versions that share one space. */
  static identity(dims: number, fromVersion: string, toVersion = fromVersion): Compensator {
    return new Compensator({ fromVersion, toVersion, dims, params: { kind: 'identity' } });
  }

  get kind(): CompensatorKind {
    return this.params.kind;
  }

  /** The spec this compensator was built from (for serialisation). */
  toSpec(): CompensatorSpec {
    const { fromVersion, toVersion, dims, params, fit } = this;
    return { fromVersion, toVersion, dims, params, ...(fit ? { fit } : {}) };
  }

  /**
   * The raw image of v, without normalising: this is what composes exactly along a version chain
   * (`composeChain(cs).map(v)` equals mapping through each of `cs` in turn).
   * @throws DriftlessError INVALID_ARGUMENT when v has the wrong length.
   */
  map(v: ArrayLike<number>): Float64Array {
    if (v.length !== this.dims) {
      throw new DriftlessError('INVALID_ARGUMENT', `Expected a ${this.dims}-d vector, got ${v.length}.`);
    }
    return mapVector(this.params, this.dims, v);
  }

  /**
   * The image of v rescaled to unit length, ready for cosine search. Dense search ranks by cosine,
   * so the scale carries no information; normalising keeps the vector finite and comparable.
   * @throws DriftlessError INVALID_ARGUMENT for a wrong length or a non-finite result.
   */
  apply(v: ArrayLike<number>): Float32Array {
    return normalise(this.map(v));
  }

  /** x -> this(inner(x)) materialised as one affine map. */
  after(inner: AffineMap): AffineMap {
    return composeAffine(this.params, inner);
  }

  /** This map materialised as matrix + bias. */
  toAffine(): AffineMap {
    return this.after(identityAffine(this.dims));
  }
}

/** A unit-length Float32 copy of x (all zeros stay zeros). */
export function normalise(x: Float64Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i]! * x[i]!;
  const length = Math.sqrt(sum);
  if (!Number.isFinite(length))
    throw new DriftlessError('INVALID_ARGUMENT', 'The mapped vector is not finite.');
  const scale = length > 0 ? 1 / length : 0;
  return Float32Array.from(x, (value) => value * scale);
}
