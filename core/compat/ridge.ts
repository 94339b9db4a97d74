import { multiply, transpose } from './dense.ts';
import type { CentredMoments } from './moments.ts';
import { symmetricEigen } from './symmetricEigen.ts';
import { topRightSingularVectors } from './topSingularVectors.ts';

/**
 * Ridge regression of the residual old - new on new (centred), shrinking towards the identity map
 * rather than towards zero: with few pairs the best guess for an unseen direction is "no drift".
 * In the sample-row convention the fit is y_c ~ x_c + x_c Delta, Delta = (G + lambda I)^-1 X_c^T (Y_c - X_c).
 * One eigen-decomposition of G = Q S Q^T serves every lambda.
 */
export class RidgeSystem {
  readonly dims: number;
  /** Mean input energy per dimension; lambdas are given relative to it. */
  readonly scale: number;
  readonly #eigenvalues: Float64Array;
  /** Rows are the eigenvectors of G (Q^T). */
  readonly #basis: Float64Array;
  /** Q^T X_c^T (Y_c - X_c). */
  readonly #projected: Float64Array;

  constructor(moments: CentredMoments) {
    const { dims, gram, cross } = moments;
    this.dims = dims;
    let trace = 0;
    for (let i = 0; i < dims; i++) trace += gram[i * dims + i]!;
    this.scale = trace / dims > 0 ? trace / dims : 1;
    const { values, vectors } = symmetricEigen(gram, dims);
    this.#eigenvalues = values.map((value) => Math.max(value, 0));
    this.#basis = vectors;
    const residualCross = Float64Array.from(cross, (value, i) => value - gram[i]!);
    this.#projected = multiply(vectors, residualCross, dims, dims, dims);
  }

  /** Coordinates of centred rows in the eigenbasis (X_c Q), reused across lambdas. */
  toEigenbasis(centredRows: Float64Array, n: number): Float64Array {
    return multiply(centredRows, transpose(this.#basis, this.dims, this.dims), n, this.dims, this.dims);
  }

  /** X_c Delta for rows given in eigenbasis coordinates. */
  predictResidual(eigenRows: Float64Array, n: number, relativeLambda: number): Float64Array {
    return multiply(eigenRows, this.#scaledProjection(relativeLambda, 1), n, this.dims, this.dims);
  }

  /** Delta (dims x dims, sample-row convention). */
  delta(relativeLambda: number): Float64Array {
    const { dims } = this;
    return multiply(
      transpose(this.#basis, dims, dims),
      this.#scaledProjection(relativeLambda, 1),
      dims,
      dims,
      dims,
    );
  }

  /**
   * The top principal directions of the fitted residuals X_c Delta (rows, best first): reduced-rank
   * regression keeps the best rank-r part of Delta as Delta B^T B.
   */
  residualDirections(relativeLambda: number, maxRank: number): Float64Array {
    const { dims } = this;
    const e = this.#scaledProjection(relativeLambda, 0.5); // S^1/2 (S + lambda)^-1 Q^T H; E^T E = fit covariance
    return topRightSingularVectors(e, dims, dims, maxRank);
  }

  /** diag(s^power / (s + lambda)) Q^T H, or diag(1/(s + lambda)) Q^T H when power is 1. */
  #scaledProjection(relativeLambda: number, power: 0.5 | 1): Float64Array {
    const { dims } = this;
    const lambda = relativeLambda * this.scale;
    const out = Float64Array.from(this.#projected);
    for (let i = 0; i < dims; i++) {
      const s = this.#eigenvalues[i]!;
      const factor = (power === 1 ? 1 : Math.sqrt(s)) / (s + lambda);
      for (let j = 0; j < dims; j++) out[i * dims + j]! *= factor;
    }
    return out;
  }
}
