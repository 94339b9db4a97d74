import { performance } from 'node:perf_hooks';
import type { Encoder } from '../../encoder/index.ts';
import type { TrainableWeights } from '../../encoder/index.ts';
import type { JobContext } from '../../jobs/index.ts';
import { planSteps, StepBudget, type StepPlan } from '../stepBudget.ts';
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
  /** The tfjs backend the steps run on (named in the step plan's reason). */
  readonly backend: string;
  /** The budget's clock in ms, and when the call began on it (setup counts towards the budget). */
  readonly now: () => number;
  readonly startedMs: number;
  /**
   * Plan again rather than keep the checkpoint's plan: the run moved to a slower backend after a
   * fault (webgpu's device lost, then wasm), where the total planned on the faster one would far
   * outrun the budget. The steps already taken keep the schedule they ran with.
   */
  readonly replan?: boolean;
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
  /** The run's total steps and why; undefined only when a budgeted run had no step left to time. */
  readonly plan: StepPlan | undefined;
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
  private plan: StepPlan | undefined;

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
    this.plan = (inputs.replan ? undefined : checkpoint?.plan) ?? unbudgetedPlan(inputs, this.done);
  }

  /** Runs the remaining steps with progress, pause and cancel, writing checkpoints on the way. */
  async run(context: JobContext): Promise<RunResult> {
    const { options, from, pairs } = this.inputs;
    // Until the plan fixes it, the configured steps bound the run.
    let total = this.plan?.steps ?? options.steps;
    const budget = this.budget();
    const waitDetail = this.planDetail();
    context.report({
      phase: 'train',
      done: this.done,
      total,
      detail: `${waitDetail ? `${waitDetail}; ` : ''}embedding with the current version`,
    });
    const teacher = this.done < total ? await teacherVectors(from, pairs, context) : undefined;
    const clock = new PhaseClock();
    const between = (): Promise<void> =>
      clock.time('yield', () => budget.excluding(() => context.checkpoint()));
    const started = performance.now();
    budget.startSteps();
    let ran = 0;
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
      ran += 1;
      if (step === 0) this.firstLoss = this.lastLoss;
      const report = (): void => {
        const planDetail = this.planDetail();
        const detail = `loss ${this.lastLoss.toFixed(4)}${planDetail ? `; ${planDetail}` : ''}`;
        clock.timeSync('yield', () => context.report({ phase: 'train', done: step + 1, total, detail }));
      };
      report();
      const planned = this.plan ? undefined : budget.afterStep(step + 1);
      if (planned) {
        this.plan = planned;
        total = planned.steps;
        report();
      }
      // A new plan is saved at once, so a crash after it resumes with the same total and schedule.
      if (planned || (step + 1) % this.inputs.checkpointEvery === 0 || step + 1 === total)
        await clock.time('checkpoint', () => this.saveCheckpoint(step + 1));
    }
    const ms = performance.now() - started;
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
      plan: this.plan,
    };
  }

  close(): void {
    this.optimizer.dispose();
    this.block.dispose();
  }

  /** The plan's reason, or while the first steps are timed the budget they are timed against. */
  private planDetail(): string | undefined {
    if (this.plan) return this.plan.reason;
    const { maxMinutes } = this.inputs.options;
    return maxMinutes === undefined
      ? undefined
      : `timing the first steps against the ${maxMinutes}-minute budget`;
  }

  private budget(): StepBudget {
    const { options, backend, now, startedMs } = this.inputs;
    return new StepBudget({ options, backend }, now, startedMs, this.done);
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
      ...(this.plan ? { plan: this.plan } : {}),
      weights,
      optimizer: await this.optimizer.state(),
    });
  }
}

/** Without a budget the total is the configured steps from the start; with one it waits for timing. */
function unbudgetedPlan(inputs: RunInputs, done: number): StepPlan | undefined {
  const { options, backend } = inputs;
  if (options.maxMinutes !== undefined) return undefined;
  return planSteps({ options, backend, done, elapsedMs: 0, msPerStep: 0 });
}
