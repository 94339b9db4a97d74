import { describe, expect, it } from 'vitest';
import { DriftlessError } from '../base/index.ts';
import { planSteps, StepBudget, storedStepPlan } from './stepBudget.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

describe('planSteps', () => {
  const plan = (maxMinutes: number | undefined, msPerStep: number, elapsedMs = 3 * msPerStep) =>
    planSteps({ options: { steps: 200, maxMinutes }, backend: 'wasm', done: 3, elapsedMs, msPerStep });

  it('plans what fits the rest of the budget and says why', () => {
    // 20 minutes less the three timed steps, at 28 s a step: 39 more, 42 in all.
    expect(plan(20, 28 * SECOND)).toMatchObject({
      steps: 42,
      configuredSteps: 200,
      maxMinutes: 20,
      msPerStep: 28 * SECOND,
      reason: '200 steps planned; 42 fit the 20-minute budget at 28 s/step on wasm',
    });
  });

  it('keeps the configured steps when they all fit, or when there is no budget', () => {
    expect(plan(20, 1.5 * SECOND)).toMatchObject({
      steps: 200,
      reason: '200 steps planned; all fit the 20-minute budget at 1.5 s/step on wasm',
    });
    expect(plan(undefined, 0)).toMatchObject({ steps: 200, reason: '200 steps, no time budget' });
  });

  it('counts setup time against the budget', () => {
    expect(plan(20, 28 * SECOND, 10 * MINUTE).steps).toBe(3 + Math.floor((10 * MINUTE) / (28 * SECOND)));
  });

  it('refuses a budget that fits fewer steps than are worth a run', () => {
    const refusal = (() => {
      try {
        plan(5, 35 * SECOND);
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(DriftlessError);
    expect(refusal).toMatchObject({
      code: 'CONFLICT',
      message:
        'Training refused: 8 steps fit the 5-minute budget at 35 s/step on wasm, fewer than the 10 ' +
        'worth a run; give adaptation more time or train on a faster backend.',
      details: { fitSteps: 8, minSteps: 10 },
    });
    // A smaller minimum lets the same budget run.
    const options = { steps: 200, maxMinutes: 5, minSteps: 8 };
    const input = { backend: 'wasm', done: 3, elapsedMs: 105 * SECOND, msPerStep: 35 * SECOND };
    expect(planSteps({ ...input, options }).steps).toBe(8);
  });
});

describe('StepBudget', () => {
  /** A clock the test moves by hand: no sleeping, no real time in the plan. */
  const clock = () => {
    const state = { ms: 0 };
    return { state, now: () => state.ms };
  };
  const options = { steps: 100, maxMinutes: 10 };

  it('plans after the first three steps, from their mean time, pauses excluded', async () => {
    const { state, now } = clock();
    const budget = new StepBudget({ options, backend: 'cpu' }, now, 0, 0);
    state.ms = MINUTE; // setup and the teacher's embeddings
    budget.startSteps();
    state.ms += 20 * SECOND;
    expect(budget.afterStep(1)).toBeUndefined();
    // A pause of an hour inside the job's checkpoint costs the budget nothing.
    await budget.excluding(async () => {
      state.ms += 60 * MINUTE;
    });
    state.ms += 20 * SECOND;
    expect(budget.afterStep(2)).toBeUndefined();
    state.ms += 20 * SECOND;
    // 10 minutes - 1 minute of setup - 1 minute of steps leave 8 minutes: 24 more steps at 20 s.
    expect(budget.afterStep(3)).toMatchObject({ steps: 27, msPerStep: 20 * SECOND });
  });

  it('times at least one step of a call that a checkpoint resumed past the first three', () => {
    const { state, now } = clock();
    const budget = new StepBudget({ options, backend: 'cpu' }, now, 0, 5);
    budget.startSteps();
    state.ms += 30 * SECOND;
    expect(budget.afterStep(6)).toMatchObject({ steps: 6 + 19, msPerStep: 30 * SECOND });
  });

  it('plans at the configured end of a run shorter than three steps', () => {
    const { state, now } = clock();
    const budget = new StepBudget({ options: { steps: 2, maxMinutes: 1 }, backend: 'cpu' }, now, 0, 0);
    budget.startSteps();
    state.ms += 50 * SECOND;
    expect(budget.afterStep(1)).toBeUndefined();
    state.ms += 50 * SECOND;
    // Both steps ran already: the plan keeps them, over budget or not, and says so.
    expect(budget.afterStep(2)).toMatchObject({
      steps: 2,
      reason: '2 steps, all run while being timed (50 s/step on cpu)',
    });
  });
});

describe('storedStepPlan', () => {
  it('reads a plan as checkpoints and manifests store it, and nothing from other shapes', () => {
    const stored = JSON.parse(
      JSON.stringify(
        planSteps({
          options: { steps: 200, maxMinutes: 20 },
          backend: 'wasm',
          done: 3,
          elapsedMs: 84 * SECOND,
          msPerStep: 28 * SECOND,
        }),
      ),
    ) as unknown;
    expect(storedStepPlan(stored)).toEqual(stored);
    // Versions trained before plans existed have none; a damaged or foreign file another shape.
    for (const other of [
      undefined,
      null,
      'plan',
      42,
      {},
      { ...(stored as object), steps: '42' },
      { ...(stored as object), msPerStep: 'fast' },
    ])
      expect(storedStepPlan(other)).toBeUndefined();
  });
});
