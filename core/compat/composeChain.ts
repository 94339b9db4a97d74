import { DriftlessError } from '../base/index.ts';
import { identityAffine, type AffineMap } from './affineMap.ts';
import { Compensator } from './compensator.ts';

/**
 * Composes a chain of compensators, newest first (v_t -> v_t-1, v_t-1 -> v_t-2, ...), into one map
 * from the first one's source version to the last one's target version. Mean drifts add up (the
 * paper's sum of drifts); any other kind makes the result one materialised affine map.
 * @throws DriftlessError INVALID_ARGUMENT for an empty or broken chain or mixed dimensions.
 */
export function composeChain(compensators: readonly Compensator[]): Compensator {
  const prefixes = composePrefixes(compensators);
  const last = prefixes[prefixes.length - 1];
  if (!last) throw new DriftlessError('INVALID_ARGUMENT', 'Cannot compose an empty chain.');
  return last;
}

/** Every prefix composition of a chain: element j maps the newest version to steps[j].toVersion. */
export function composePrefixes(steps: readonly Compensator[]): Compensator[] {
  checkChain(steps);
  const folder = new ChainFolder();
  return steps.map((step) => folder.push(step));
}

function checkChain(steps: readonly Compensator[]): void {
  steps.forEach((step, i) => {
    const previous = steps[i - 1];
    if (!previous) return;
    if (step.dims !== previous.dims) {
      throw new DriftlessError('INVALID_ARGUMENT', `Chain mixes ${previous.dims}-d and ${step.dims}-d maps.`);
    }
    if (step.fromVersion !== previous.toVersion) {
      throw new DriftlessError(
        'INVALID_ARGUMENT',
        `Chain is broken: ${previous.fromVersion}->${previous.toVersion} is followed by ${step.fromVersion}->${step.toVersion}.`,
      );
    }
  });
}

/** Folds steps one by one, staying a cheap summed drift until a non-mean step appears. */
class ChainFolder {
  #first: Compensator | undefined;
  #drift: Float64Array | undefined;
  #affine: AffineMap | undefined;
  #sawMean = false;

  /** Adds the next older step and returns the composition so far. */
  push(step: Compensator): Compensator {
    this.#first ??= step;
    if (!this.#affine && (step.kind === 'mean' || step.kind === 'identity')) {
      this.#drift ??= new Float64Array(step.dims);
      if (step.params.kind === 'mean') {
        addInto(this.#drift, step.params.drift);
        this.#sawMean = true;
      }
      return this.#meanResult(step);
    }
    this.#affine = step.after(this.#affine ?? this.#driftAsAffine(step.dims));
    return new Compensator({
      fromVersion: this.#first.fromVersion,
      toVersion: step.toVersion,
      dims: step.dims,
      params: {
        kind: 'affine',
        matrix: Float32Array.from(this.#affine.matrix),
        bias: Float32Array.from(this.#affine.bias),
      },
    });
  }

  #meanResult(step: Compensator): Compensator {
    const base = { fromVersion: this.#first!.fromVersion, toVersion: step.toVersion, dims: step.dims };
    if (!this.#sawMean) return new Compensator({ ...base, params: { kind: 'identity' } });
    return new Compensator({ ...base, params: { kind: 'mean', drift: Float32Array.from(this.#drift!) } });
  }

  #driftAsAffine(dims: number): AffineMap {
    const map = identityAffine(dims);
    if (this.#drift) map.bias = Float64Array.from(this.#drift, (value) => -value);
    return map;
  }
}

function addInto(target: Float64Array, values: ArrayLike<number>): void {
  for (let i = 0; i < target.length; i++) target[i]! += values[i]!;
}
