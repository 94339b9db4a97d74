import { performance } from 'node:perf_hooks';
import type { Encoder } from '../../encoder/index.ts';
import type { TrainableWeights } from '../../encoder/index.ts';
import type { JobContext } from '../../jobs/index.ts';
import type { TrainingPair, TrainOptions } from '../types.ts';
import { AdamW } from './adamw.ts';
import { saveCheckpoint } from './checkpoint.ts';
import type { TrainingCheckpoint } from './checkpoint.ts';
import type { FrozenFeatures } from './frozenFeatures.ts';
import { PhaseClock, type TrainPhase } from './phaseClock.ts';
import { PairSampler } from './sampler.ts';
import { trainStep } from './step.ts';
import { teacherVectors } from './teacher.ts';
import { TrainableBlock } from './trainableBlock.ts';

/** What one training call needs besides the trainable state. */
export interface RunInputs {
  readonly from: Encoder;
  readonly pairs: readonly TrainingPair[];
  readonly options: TrainOptions;
  readonly checkpointDir: string;
  readonly fingerprint: string;
  readonly checkpointEvery: number;
  readonly chunkTokens: number;
}

/** How a run ended: losses of the whole run (across resumes) and the time of this call's steps. */
export interface RunResult {
  readonly weights: TrainableWeights;
  readonly resumedFromStep: number;
  readonly firstLoss: number;
  readonly lastLoss: number;
  readonly msPerStep: number;
  /** Mean milliseconds per step of this call in each phase (all zero when no step ran). */
  readonly phaseMs: Record<TrainPhase, number>;
}

/**
 * The steps of one training run, from the start weights or from a checkpoint of the same run.
 * Owns the tfjs variables and optimiser moments until `close`.
 */
export class TrainingRun {
  private readonly block: TrainableBlock;
  private readonly optimizer: AdamW;
  private readonly sampler: PairSampler;
  private readonly done: number;
  private firstLoss: number;
  private lastLoss: number;

  constructor(
    private readonly inputs: RunInputs,
    private readonly features: FrozenFeatures,
    start: TrainableWeights,
    checkpoint: TrainingCheckpoint | undefined,
  ) {
    const { options, pairs } = inputs;
    this.block = TrainableBlock.fromWeights(start);
    if (checkpoint) this.block.assign(checkpoint.weights);
    this.optimizer = new AdamW(this.block.variables, options, checkpoint?.optimizer);
    this.sampler = new PairSampler(
      pairs,
      options.batchSize,
      options.negativesPerPair,
      checkpoint?.sampler ?? { seed: options.seed },
    );
    this.done = checkpoint?.step ?? 0;
    this.firstLoss = checkpoint?.firstLoss ?? NaN;
    this.lastLoss = checkpoint?.lastLoss ?? NaN;
  }

  /** Runs the remaining steps with progress, pause and cancel, writing checkpoints on the way. */
  async run(context: JobContext): Promise<RunResult> {
    const { options, from, pairs } = this.inputs;
    const total = options.steps;
    context.report({ phase: 'train', done: this.done, total, detail: 'embedding with the current version' });
    const teacher = this.done < total ? await teacherVectors(from, pairs, context) : undefined;
    const clock = new PhaseClock();
    const between = (): Promise<void> => clock.time('yield', () => context.checkpoint());
    const started = performance.now();
    for (let step = this.done; teacher && step < total; step++) {
      await between();
      const parts = {
        block: this.block,
        optimizer: this.optimizer,
        features: this.features,
        teacher,
        ...options,
        chunkTokens: this.inputs.chunkTokens,
        between,
        clock,
      };
      this.lastLoss = await trainStep(
        parts,
        clock.timeSync('batch', () => this.sampler.next()),
      );
      if (step === 0) this.firstLoss = this.lastLoss;
      const detail = `loss ${this.lastLoss.toFixed(4)}`;
      clock.timeSync('yield', () => context.report({ phase: 'train', done: step + 1, total, detail }));
      if ((step + 1) % this.inputs.checkpointEvery === 0 || step + 1 === total)
        await clock.time('checkpoint', () => this.saveCheckpoint(step + 1));
    }
    const ms = performance.now() - started;
    const ran = total - this.done;
    const perStep = (value: number): number => (ran > 0 ? value / ran : 0);
    const phaseMs = Object.fromEntries(
      Object.entries(clock.read()).map(([phase, value]) => [phase, perStep(value)]),
    ) as Record<TrainPhase, number>;
    return {
      weights: await this.block.read(),
      resumedFromStep: this.done,
      firstLoss: this.firstLoss,
      lastLoss: this.lastLoss,
      msPerStep: perStep(ms),
      phaseMs,
    };
  }

  close(): void {
    this.optimizer.dispose();
    this.block.dispose();
  }

  private async saveCheckpoint(step: number): Promise<void> {
    const weights = new Map<string, Float32Array>();
    for (const [name, variable] of this.block.variables)
      weights.set(name, (await variable.data()) as Float32Array);
    await saveCheckpoint(this.inputs.checkpointDir, {
      fingerprint: this.inputs.fingerprint,
      step,
      sampler: this.sampler.state,
      firstLoss: this.firstLoss,
      lastLoss: this.lastLoss,
      weights,
      optimizer: await this.optimizer.state(),
    });
  }
}
