import { AnchorCorrection } from '../../compat/anchorCorrection.ts';
import type { EmbeddingPairs, FitOptions } from '../../compat/types.ts';
import type { FitResult } from '../../compat/fitCompensators.ts';
import { checkPairs } from '../../compat/checkPairs.ts';
import { Compensator } from '../../compat/compensator.ts';
import { ForwardMap, type AnchorPairs } from '../../compat/forwardMap.ts';
import type { FitForwardReply, FitReply } from './calls.ts';
import { sharedOffThreadHost } from './host.ts';
import { packVectors } from './protocol.ts';

/**
 * `core/compat` `fitCompensators`, run on the heavy-work thread: the same arguments and result,
 * progress through `options.onProgress`, CANCELLED on abort. Fitting is seconds of pure
 * JavaScript with stalls of several seconds between yields, so it never runs on the app's thread.
 */
export async function fitCompensators(
  pairs: EmbeddingPairs,
  options: FitOptions = {},
  signal?: AbortSignal,
): Promise<FitResult> {
  const { onProgress, ...rest } = options;
  // Checked here: packing would hide vectors of unequal length.
  const dims = checkPairs(pairs);
  const newVecs = packVectors(pairs.newVecs, dims);
  const oldVecs = packVectors(pairs.oldVecs, dims);
  const reply = await sharedOffThreadHost().call<FitReply>(
    'fit',
    { newVecs, oldVecs, options: rest, progress: Boolean(onProgress) },
    { ...(signal ? { signal } : {}), ...(onProgress ? { onReport: onProgress } : {}) },
    [newVecs.data.buffer as ArrayBuffer, oldVecs.data.buffer as ArrayBuffer],
  );
  return { ...reply, best: new Compensator(reply.best) };
}

/**
 * `core/compat` `fitForwardMap` on the heavy-work thread: the affine fit and the anchor
 * correction's selection are both seconds of pure JavaScript at a thousand anchors.
 */
export async function fitForwardMap(
  anchors: AnchorPairs & { notes: readonly string[] },
  options: FitOptions & { fromVersion: string; toVersion: string },
  signal?: AbortSignal,
): Promise<ForwardMap> {
  const { onProgress: _, ...rest } = options;
  const dims = checkPairs({ newVecs: anchors.stored, oldVecs: anchors.current });
  const stored = packVectors(anchors.stored, dims);
  const current = packVectors(anchors.current, dims);
  const reply = await sharedOffThreadHost().call<FitForwardReply>(
    'fitForward',
    { stored, current, notes: [...anchors.notes], options: rest },
    signal ? { signal } : {},
    [stored.data.buffer as ArrayBuffer, current.data.buffer as ArrayBuffer],
  );
  const correction = reply.correction && new AnchorCorrection(reply.correction, dims);
  return new ForwardMap(new Compensator(reply.best), correction);
}
