import type { KindDefinition } from './definition.ts';

/** x -> x: no drift (a version compared with itself, or a chain of nothing). */
export const identityKind: KindDefinition<{ kind: 'identity' }> = {
  map: (_params, _dims, x) => Float64Array.from(x),
  composeAffine: (_params, inner) => inner,
  arrays: () => [],
  decode: () => ({ kind: 'identity' }),
};
