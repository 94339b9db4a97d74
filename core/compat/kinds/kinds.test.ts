import { describe, expect, it } from 'vitest';
import { applyAffine, composeAffine, identityAffine } from '../affineMap.ts';
import { Compensator } from '../compensator.ts';
import { decodeCompensator, encodeCompensator } from '../compensatorCodec.ts';
import { mapVector } from '../mapVector.ts';
import { randomCompensator } from '../testing/randomCompensators.ts';
import { Rng } from '../testing/syntheticDrift.ts';
import { FITTED_KINDS, type CompensatorKind, type CompensatorParams } from '../types.ts';
import { COMPENSATOR_KINDS, fitterOf } from './index.ts';

const DIMS = 6;

/** Parameters of every registered kind: the fitted ones at random, identity, and an affine map. */
function sampleParams(kind: CompensatorKind, rng: Rng): CompensatorParams {
  if (kind === 'identity') return { kind };
  if (kind === 'affine') {
    const linear = randomCompensator(rng, 'linear', DIMS, 'v1', 'v0').params;
    return { ...(linear as Extract<CompensatorParams, { kind: 'linear' | 'affine' }>), kind: 'affine' };
  }
  return randomCompensator(rng, kind, DIMS, 'v1', 'v0').params;
}

describe('the registry of compensator kinds', () => {
  it('has a fitter for every fitted kind and names each kind once', () => {
    for (const kind of FITTED_KINDS) expect(fitterOf(kind).kind).toBe(kind);
    expect(new Set(COMPENSATOR_KINDS).size).toBe(COMPENSATOR_KINDS.length);
    expect([...COMPENSATOR_KINDS].sort()).toEqual([
      'affine',
      'identity',
      'linear',
      'lowrank',
      'mean',
      'procrustes',
    ]);
  });

  it.each(COMPENSATOR_KINDS)(
    '%s: its affine form maps as it does, and its file reads back the same map',
    (kind) => {
      const rng = new Rng(11);
      const params = sampleParams(kind, rng);
      const x = Float64Array.from(rng.normalVector(DIMS));
      const mapped = mapVector(params, DIMS, x);
      const viaAffine = applyAffine(composeAffine(params, identityAffine(DIMS)), x);
      for (let i = 0; i < DIMS; i++) expect(viaAffine[i]).toBeCloseTo(mapped[i]!, 9);

      const compensator = new Compensator({ fromVersion: 'v1', toVersion: 'v0', dims: DIMS, params });
      const read = decodeCompensator(encodeCompensator(compensator), DIMS);
      expect(read.params).toEqual(params);
      expect(read.map(x)).toEqual(compensator.map(x));
    },
  );
});
