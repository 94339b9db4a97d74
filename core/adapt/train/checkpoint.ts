import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../base/index.ts';
import { storedStepPlan, type StepPlan } from '../stepBudget.ts';
import type { AdamWState } from './adamw.ts';
import type { SamplerState } from './sampler.ts';
import { decodeTensorFile, encodeTensorFile } from './tensorFile.ts';
import type { StoredTensor } from './tensorFile.ts';

/** Everything a killed training run needs to continue exactly where it stopped. */
export interface TrainingCheckpoint {
  /** Identifies the run (start weights, pairs, options); a checkpoint of another run is ignored. */
  readonly fingerprint: string;
  /** Steps completed. */
  readonly step: number;
  readonly sampler: SamplerState;
  readonly firstLoss: number;
  readonly lastLoss: number;
  /**
   * The run's planned total and why, once fixed (after its first timed steps): a resumed run keeps
   * it, and with it the learning-rate schedule, whatever the machine's speed now.
   */
  readonly plan?: StepPlan;
  readonly weights: ReadonlyMap<string, Float32Array>;
  readonly optimizer: AdamWState;
}

const FILE = 'checkpoint.bin';

/** Writes the checkpoint as one file, atomically: a crash leaves the previous checkpoint intact. */
export async function saveCheckpoint(dir: string, checkpoint: TrainingCheckpoint): Promise<void> {
  const tensors: StoredTensor[] = [];
  const add = (prefix: string, values: ReadonlyMap<string, Float32Array>): void => {
    for (const [name, data] of values) tensors.push({ name: `${prefix}${name}`, shape: [data.length], data });
  };
  add('w:', checkpoint.weights);
  add('m:', checkpoint.optimizer.m);
  add('v:', checkpoint.optimizer.v);
  const header = {
    format: 'driftless-train-checkpoint/1',
    fingerprint: checkpoint.fingerprint,
    step: checkpoint.step,
    optimizerStep: checkpoint.optimizer.step,
    sampler: checkpoint.sampler,
    firstLoss: checkpoint.firstLoss,
    lastLoss: checkpoint.lastLoss,
    ...(checkpoint.plan ? { plan: checkpoint.plan } : {}),
  };
  await writeFileAtomic(path.join(dir, FILE), encodeTensorFile(header, tensors));
}

/** The checkpoint in `dir` when it belongs to the run `fingerprint`; undefined when absent, foreign or unreadable. */
export async function loadCheckpoint(
  dir: string,
  fingerprint: string,
): Promise<TrainingCheckpoint | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path.join(dir, FILE)));
  } catch {
    return undefined;
  }
  try {
    const { header, tensors } = decodeTensorFile(bytes);
    if (header.format !== 'driftless-train-checkpoint/1' || header.fingerprint !== fingerprint)
      return undefined;
    const pick = (prefix: string): Map<string, Float32Array> =>
      new Map(
        [...tensors]
          .filter(([name]) => name.startsWith(prefix))
          .map(([name, d]) => [name.slice(prefix.length), d]),
      );
    return {
      fingerprint,
      step: Number(header.step),
      sampler: header.sampler as SamplerState,
      firstLoss: Number(header.firstLoss),
      lastLoss: Number(header.lastLoss),
      ...planOf(header.plan),
      weights: pick('w:'),
      optimizer: { step: Number(header.optimizerStep), m: pick('m:'), v: pick('v:') },
    };
  } catch {
    // A damaged checkpoint is as good as none: training starts over.
    return undefined;
  }
}

/** A checkpoint without a well-formed plan (older, or saved before planning) plans again. */
function planOf(value: unknown): { plan?: StepPlan } {
  const plan = storedStepPlan(value);
  return plan ? { plan } : {};
}
