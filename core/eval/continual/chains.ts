import path from 'node:path';
import type { EncoderTrainer, TrainedCandidate, TrainOptions, TrainingPair } from '../../adapt/index.ts';
import { throwIfAborted, type ProgressListener } from '../../base/index.ts';
import type { JobContext } from '../../jobs/index.ts';
import { measure } from './cost.ts';
import type { Version } from './embeddings.ts';
import type { FamilyIndex } from './familyIndex.ts';
import type { Cost } from './types.ts';

/** One family of methods sharing an index and a line of encoder versions. */
export interface Chain {
  name: string;
  index: FamilyIndex;
  /** Oldest first; the last is the current version. */
  versions: Version[];
  /** Distillation weights; undefined for a chain that never trains. */
  distill?: { lq: number; ld: number; lc: number };
  /** Label prefix of trained versions, e.g. 'kd' gives kd-v1, kd-v2, ... */
  prefix: string;
}

export function current(chain: Chain): Version {
  return chain.versions.at(-1)!;
}

export interface TrainedStep {
  cost: Cost & { steps: number; backend: string; firstLoss: number; lastLoss: number };
  candidate: TrainedCandidate;
}

/** Trains the chain's current version on `pairs` and appends the result as the next version. */
export async function trainChain(
  chain: Chain,
  trainer: EncoderTrainer,
  args: { pairs: TrainingPair[]; options: TrainOptions; workDir: string; stage: number },
  onProgress?: ProgressListener,
  signal?: AbortSignal,
): Promise<TrainedStep> {
  const from = current(chain);
  const checkpointDir = path.join(args.workDir, 'checkpoints', `${chain.prefix}-${args.stage}`);
  const { value: candidate, cost } = await measure(() =>
    trainer.train(
      { from: from.encoder, pairs: args.pairs, options: args.options, checkpointDir },
      jobContext(onProgress, signal),
    ),
  );
  chain.versions.push({ label: `${chain.prefix}-v${args.stage}`, encoder: await candidate.encoder() });
  const { report } = candidate;
  return {
    candidate,
    cost: {
      ...cost,
      steps: report.steps,
      backend: report.backend,
      firstLoss: report.firstLoss,
      lastLoss: report.lastLoss,
    },
  };
}

function jobContext(onProgress?: ProgressListener, signal?: AbortSignal): JobContext {
  return {
    signal: signal ?? new AbortController().signal,
    report: (progress) => onProgress?.(progress),
    checkpoint: async () => throwIfAborted(signal),
  };
}
