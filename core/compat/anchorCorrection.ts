import { normalise } from './compensator.ts';

/**
 * What an affine forward map leaves out, learned back from the anchors: an old vector's image is
 * moved by the kernel-weighted residuals (current vector minus affine image) of its nearest
 * anchors in the stored space. Fine-tuning changes the encoder differently per topic, which one
 * matrix for the whole space averages away; neighbouring anchors show the local change. It is a
 * non-parametric, non-affine map: nothing composes it, it applies after a direct forward map.
 */
export interface AnchorCorrectionParams {
  /** The anchors' stored vectors, unit length, row-major anchors x dims. */
  keys: Float32Array;
  /** Each anchor's current vector minus its affine image (both unit length), anchors x dims. */
  residuals: Float32Array;
  /** How many nearest anchors move an image. */
  neighbours: number;
  /** Softmax temperature over the neighbours' cosines. */
  temperature: number;
  /** Share of the weighted residual added to the affine image. */
  weight: number;
}

/** The neighbourhood settings a correction is chosen among, on anchors of held-out notes. */
export const CORRECTION_GRID = {
  neighbours: [1, 4, 16],
  temperature: [0.02, 0.05, 0.1],
  weight: [0.25, 0.5, 1],
} as const;

/** A correction is kept only when it cuts the held-out cosine error (1 - cosine) by this share. */
export const MIN_ERROR_CUT = 0.02;

type Choice = Pick<AnchorCorrectionParams, 'neighbours' | 'temperature' | 'weight'>;

export class AnchorCorrection {
  readonly params: AnchorCorrectionParams;
  readonly dims: number;

  constructor(params: AnchorCorrectionParams, dims: number) {
    this.params = params;
    this.dims = dims;
  }

  get anchors(): number {
    return this.params.keys.length / this.dims;
  }

  /** The anchors that move `stored`'s image and by how much: it depends on the stored vector alone. */
  shares(stored: ArrayLike<number>): AnchorShare[] {
    return sharesOf(
      nearest(cosinesTo(this.params.keys, this.dims, stored), this.params.neighbours),
      this.params,
    );
  }

  /** `image` (the affine image of `stored`, unit length) moved by its neighbours' residuals, unit length. */
  apply(stored: ArrayLike<number>, image: ArrayLike<number>): Float32Array {
    return normalise(movedBy(image, this.shares(stored), this.params.residuals, this.dims));
  }

  /**
   * The query's dot product with every anchor's residual: with these, a moved image scores as
   * (q . image + sum of share x q . residual) / |moved image|, without building the moved image.
   */
  residualDots(query: ArrayLike<number>): Float64Array {
    return dotsWithRows(this.params.residuals, this.dims, query);
  }
}

/** One anchor's part in moving an image: the share of its residual that is added. */
export interface AnchorShare {
  index: number;
  share: number;
}

type Neighbour = { index: number; cosine: number };

/** Softmax weights over the nearest anchors (sorted, nearest first), scaled by the correction's weight. */
function sharesOf(
  near: readonly Neighbour[],
  { neighbours, temperature, weight }: Pick<AnchorCorrectionParams, 'neighbours' | 'temperature' | 'weight'>,
): AnchorShare[] {
  const used = near.slice(0, neighbours);
  const top = used[0]?.cosine ?? 0;
  const kernel = used.map(({ cosine }) => Math.exp((cosine - top) / temperature));
  const total = kernel.reduce((sum, value) => sum + value, 0);
  return used.map(({ index }, n) => ({ index, share: (weight * kernel[n]!) / total }));
}

/** `image` plus the shared residuals, not normalised. */
export function movedBy(
  image: ArrayLike<number>,
  shares: readonly AnchorShare[],
  residuals: Float32Array,
  dims: number,
): Float64Array {
  const out = Float64Array.from(image);
  for (const { index, share } of shares) {
    const row = index * dims;
    for (let i = 0; i < dims; i++) out[i]! += share * residuals[row + i]!;
  }
  return out;
}

/** Cosine of `vector` with each unit-length row of `keys`. */
function cosinesTo(keys: Float32Array, dims: number, vector: ArrayLike<number>): Float64Array {
  return dotsWithRows(keys, dims, normalise(Float64Array.from(vector)));
}

function dotsWithRows(rows: Float32Array, dims: number, vector: ArrayLike<number>): Float64Array {
  const dots = new Float64Array(rows.length / dims);
  for (let a = 0; a < dots.length; a++) {
    let sum = 0;
    const row = a * dims;
    for (let i = 0; i < dims; i++) sum += vector[i]! * rows[row + i]!;
    dots[a] = sum;
  }
  return dots;
}
/** Anchors embedded by both versions, with the affine image of each stored vector. */
export interface CorrectionSide {
  stored: readonly Float32Array[];
  current: readonly Float32Array[];
  images: readonly Float32Array[];
}

/** The correction built on `side`'s anchors with `choice`. */
export function buildCorrection(side: CorrectionSide, choice: Choice): AnchorCorrection {
  const dims = side.stored[0]?.length ?? 0;
  return new AnchorCorrection({ ...anchorRows(side, dims), ...choice }, dims);
}

/** The anchors' unit stored vectors and residuals (current vector minus affine image), row-major. */
function anchorRows(side: CorrectionSide, dims: number): Pick<AnchorCorrectionParams, 'keys' | 'residuals'> {
  const keys = new Float32Array(side.stored.length * dims);
  const residuals = new Float32Array(side.stored.length * dims);
  side.stored.forEach((stored, a) => {
    keys.set(normalise(Float64Array.from(stored)), a * dims);
    const current = normalise(Float64Array.from(side.current[a]!));
    const image = side.images[a]!;
    for (let i = 0; i < dims; i++) residuals[a * dims + i] = current[i]! - image[i]!;
  });
  return { keys, residuals };
}

/** How the affine images and the best correction did on held-out anchors (mean cosine to current). */
export interface CorrectionSelection {
  choice: Choice | undefined;
  affineCosine: number;
  correctedCosine: number;
}

/**
 * Picks the neighbourhood that brings held-out anchors' images closest to their current vectors,
 * built on the training anchors only; none when no setting cuts the error by `MIN_ERROR_CUT`.
 * The two sides must hold different notes: chunks of one note are near each other, so a split by
 * chunk would credit the correction with what it can never do for a note that is not an anchor.
 */
export function selectCorrection(train: CorrectionSide, validation: CorrectionSide): CorrectionSelection {
  const affineCosine = meanCosine(validation.images, validation.current);
  const dims = train.stored[0]?.length ?? 0;
  const { keys, residuals } = anchorRows(train, dims);
  const most = Math.max(...CORRECTION_GRID.neighbours);
  // The neighbours do not depend on the setting: found once per held-out anchor.
  const near = validation.stored.map((stored) => nearest(cosinesTo(keys, dims, stored), most));
  let best: { choice: Choice | undefined; cosine: number } = { choice: undefined, cosine: affineCosine };
  for (const neighbours of CORRECTION_GRID.neighbours)
    for (const temperature of CORRECTION_GRID.temperature)
      for (const weight of CORRECTION_GRID.weight) {
        const choice = { neighbours, temperature, weight };
        const corrected = validation.images.map((image, i) =>
          normalise(movedBy(image, sharesOf(near[i]!, choice), residuals, dims)),
        );
        const cosine = meanCosine(corrected, validation.current);
        if (cosine > best.cosine) best = { choice, cosine };
      }
  const cut = 1 - (1 - best.cosine) / Math.max(1 - affineCosine, 1e-12);
  const choice = cut >= MIN_ERROR_CUT ? best.choice : undefined;
  return { choice, affineCosine, correctedCosine: choice ? best.cosine : affineCosine };
}

function nearest(cosines: Float64Array, count: number): Neighbour[] {
  const top: Neighbour[] = [];
  cosines.forEach((cosine, index) => {
    if (top.length === count && cosine <= top[count - 1]!.cosine) return;
    let at = top.length;
    while (at > 0 && top[at - 1]!.cosine < cosine) at--;
    top.splice(at, 0, { index, cosine });
    if (top.length > count) top.pop();
  });
  return top;
}

function meanCosine(a: readonly ArrayLike<number>[], b: readonly ArrayLike<number>[]): number {
  let total = 0;
  a.forEach((vector, i) => {
    const x = normalise(Float64Array.from(vector));
    const y = normalise(Float64Array.from(b[i]!));
    let sum = 0;
    for (let d = 0; d < x.length; d++) sum += x[d]! * y[d]!;
    total += sum;
  });
  return total / Math.max(1, a.length);
}
