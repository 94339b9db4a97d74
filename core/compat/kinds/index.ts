import type { KindFitter } from '../selectionContext.ts';
import type { CompensatorKind, CompensatorParams, FittedKind } from '../types.ts';
import type { KindDefinition, ParamsOf } from './definition.ts';
import { identityKind } from './identity.ts';
import { affineKind, linearKind } from './matrix.ts';
import { lowRankKind } from './lowRank.ts';
import { meanKind } from './mean.ts';
import { procrustesKind } from './procrustes.ts';

export type { StoredParams } from './definition.ts';
export { usableRanks } from './lowRank.ts';

/** The registry of compensator kinds: fitting, applying, composing, storing and checking each. */
const KINDS: { [K in CompensatorKind]: KindDefinition<ParamsOf<K>> } = {
  identity: identityKind,
  mean: meanKind,
  linear: linearKind,
  affine: affineKind,
  procrustes: procrustesKind,
  lowrank: lowRankKind,
};

/** Every kind a compensator file may name. */
export const COMPENSATOR_KINDS = Object.keys(KINDS) as [CompensatorKind, ...CompensatorKind[]];

/** The definition of the kind of `params`. */
export function kindOf<P extends CompensatorParams>(params: P): KindDefinition<P> {
  return KINDS[params.kind] as unknown as KindDefinition<P>;
}

/** The definition of a kind named in a file (the schema has checked the name). */
export function kindNamed(kind: CompensatorKind): KindDefinition<CompensatorParams> {
  return KINDS[kind] as unknown as KindDefinition<CompensatorParams>;
}

/** The fitter of each fitted kind. */
export function fitterOf(kind: FittedKind): KindFitter {
  const fitter = KINDS[kind].fitter;
  if (!fitter) throw new Error(`The compensator kind ${kind} has no fitter.`);
  return fitter;
}
