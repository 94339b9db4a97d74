import { DriftlessError } from '../base/index.ts';
import type { TrainOptions } from './types.ts';

/**
 * Steps timed before a run's total is fixed. The first step also tokenises and runs the frozen
 * layers over its new texts, so one step alone would overstate the rest; three average that out
 * while costing at most a few minutes on the slowest backend.
 */
export const PROBE_STEPS = 3;

/**
 * The fewest steps worth a run under a time budget (`TrainOptions.minSteps` overrides it): below
 * ten the candidate barely moves from its parent and the gate would refuse it, so such a run is
 * refused up front instead of spending the budget on nothing.
 */
export const DEFAULT_MIN_STEPS = 10;

/** How many steps a run trains and why, as reports and checkpoints keep it. */
export interface StepPlan {
  /** Steps the run trains in all (resumed calls included). */
  readonly steps: number;
  /** `TrainOptions.steps`: what the run would train without a budget. */
  readonly configuredSteps: number;
  readonly maxMinutes?: number;
  /** Mean ms per step of the timed steps; absent when no budget asked for timing. */
  readonly msPerStep?: number;
  readonly backend: string;
  /** For people: "200 steps planned; 42 fit the 20-minute budget at 28 s/step on wasm". */
  readonly reason: string;
}

/**
 * A stored plan (a checkpoint's, a version manifest's `training.stepPlan`) when it is well-formed,
 * else undefined: files from builds before plans existed, or damaged ones, hold none or another shape.
 */
export function storedStepPlan(value: unknown): StepPlan | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const plan = value as Partial<Record<keyof StepPlan, unknown>>;
  const optionalNumber = (field: unknown) => field === undefined || typeof field === 'number';
  const wellFormed =
    Number.isInteger(plan.steps) &&
    Number.isInteger(plan.configuredSteps) &&
    optionalNumber(plan.maxMinutes) &&
    optionalNumber(plan.msPerStep) &&
    typeof plan.backend === 'string' &&
    typeof plan.reason === 'string';
  return wellFormed ? (plan as StepPlan) : undefined;
}

/** What the plan is made from once the first steps are timed. */
export interface PlanInput {
  readonly options: Pick<TrainOptions, 'steps' | 'maxMinutes' | 'minSteps'>;
  readonly backend: string;
  /** Steps completed when planning (they count towards the total). */
  readonly done: number;
  /** Budget time spent so far: setup, the teacher's embeddings and the timed steps, pauses excluded. */
  readonly elapsedMs: number;
  readonly msPerStep: number;
}

/**
 * The run's total steps: the configured steps, or as many as fit what is left of the budget at the
 * measured speed, never fewer than the minimum worth a run.
 * @throws DriftlessError CONFLICT when not even the minimum fits; its message says by how much.
 */
export function planSteps(input: PlanInput): StepPlan {
  const { options, backend, done, elapsedMs, msPerStep } = input;
  const configuredSteps = options.steps;
  const { maxMinutes } = options;
  if (maxMinutes === undefined)
    return {
      steps: configuredSteps,
      configuredSteps,
      backend,
      reason: `${configuredSteps} steps, no time budget`,
    };
  const remainingMs = maxMinutes * 60_000 - elapsedMs;
  const fit = done + Math.max(0, Math.floor(remainingMs / Math.max(msPerStep, 1e-9)));
  const budget = `the ${formatMinutes(maxMinutes)} budget at ${formatSeconds(msPerStep)}/step on ${backend}`;
  const plan = { configuredSteps, maxMinutes, msPerStep, backend };
  if (done >= configuredSteps) {
    const speed = `${formatSeconds(msPerStep)}/step on ${backend}`;
    return { ...plan, steps: done, reason: `${done} steps, all run while being timed (${speed})` };
  }
  if (fit >= configuredSteps)
    return { ...plan, steps: configuredSteps, reason: `${configuredSteps} steps planned; all fit ${budget}` };
  const minimum = Math.min(options.minSteps ?? DEFAULT_MIN_STEPS, configuredSteps);
  if (fit >= minimum)
    return { ...plan, steps: fit, reason: `${configuredSteps} steps planned; ${fit} fit ${budget}` };
  throw new DriftlessError(
    'CONFLICT',
    `Training refused: ${fit} steps fit ${budget}, fewer than the ${minimum} worth a run; ` +
      'give adaptation more time or train on a faster backend.',
    { ...plan, fitSteps: fit, minSteps: minimum, elapsedMs },
  );
}

/**
 * Times a run's steps against its budget on the clock `now` (milliseconds; tests pass a clock they
 * advance instead of sleeping). Time spent paused is not counted: a user's pause must not eat the
 * budget. The plan comes after global step PROBE_STEPS (at least one step of this call when a
 * checkpoint without a plan resumed it past that).
 */
export class StepBudget {
  private pausedMs = 0;
  private stepsStartedMs: number | undefined;
  private stepsStartedPausedMs = 0;
  private readonly planAt: number;

  constructor(
    private readonly input: Omit<PlanInput, 'done' | 'elapsedMs' | 'msPerStep'>,
    private readonly now: () => number,
    /** When the run began on `now`: setup before the first step counts towards the budget. */
    private readonly startedMs: number,
    /** Steps a checkpoint had completed when this call began. */
    private readonly startDone: number,
  ) {
    this.planAt = Math.min(input.options.steps, Math.max(PROBE_STEPS, startDone + 1));
  }

  /** Runs `wait` (the job's checkpoint, which waits while paused) without counting its time. */
  async excluding<T>(wait: () => Promise<T>): Promise<T> {
    const since = this.now();
    try {
      return await wait();
    } finally {
      this.pausedMs += this.now() - since;
    }
  }

  /** Marks where the timed steps begin (after the teacher's embeddings). */
  startSteps(): void {
    this.stepsStartedMs = this.now();
    this.stepsStartedPausedMs = this.pausedMs;
  }

  /** The plan once `done` steps are complete and enough of them were timed; undefined before. */
  afterStep(done: number): StepPlan | undefined {
    if (done !== this.planAt) return undefined;
    const nowMs = this.now();
    const stepsMs =
      nowMs - (this.stepsStartedMs ?? this.startedMs) - (this.pausedMs - this.stepsStartedPausedMs);
    const elapsedMs = nowMs - this.startedMs - this.pausedMs;
    const msPerStep = stepsMs / (done - this.startDone);
    return planSteps({ ...this.input, done, elapsedMs, msPerStep });
  }
}

function formatMinutes(minutes: number): string {
  return `${Number(minutes.toFixed(1))}-minute`;
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${seconds >= 10 ? Math.round(seconds) : Number(seconds.toFixed(1))} s`;
}
