import { describe, expect, it } from 'vitest';
import { AdaptationScheduler } from './scheduler.ts';
import { adaptationDue, type TriggerState } from './triggers.ts';

const settings = {
  enabled: true,
  afterNewNotes: 10,
  afterFeedbackEvents: 5,
  scheduleHours: 24,
  onlyWhenIdle: true,
  onlyOnPower: true,
  trainingMinutes: 20,
};
const base: TriggerState = {
  newNotes: 0,
  feedbackEvents: 0,
  lastVersionMs: 0,
  nowMs: 3_600_000,
  idle: true,
  onBattery: false,
};

describe('adaptationDue', () => {
  it('triggers on new notes, feedback, or the schedule when there is something new', () => {
    expect(adaptationDue(settings, { ...base, newNotes: 10 })).toMatchObject({ due: true });
    expect(adaptationDue(settings, { ...base, feedbackEvents: 5 })).toMatchObject({ due: true });
    expect(adaptationDue(settings, { ...base, newNotes: 1, nowMs: 25 * 3_600_000 })).toMatchObject({
      due: true,
      reason: expect.stringContaining('hours'),
    });
    expect(adaptationDue(settings, { ...base, nowMs: 25 * 3_600_000 })).toMatchObject({ due: false });
    expect(adaptationDue(settings, { ...base, newNotes: 9 })).toMatchObject({ due: false });
  });

  it('does not stall the schedule when the clock was set back past the last version', () => {
    const setBack = { ...base, lastVersionMs: 10 * 24 * 3_600_000, nowMs: 3_600_000 };
    expect(adaptationDue(settings, { ...setBack, newNotes: 1 })).toMatchObject({
      due: true,
      reason: expect.stringContaining('clock'),
    });
    expect(adaptationDue(settings, setBack)).toMatchObject({ due: false });
    expect(adaptationDue({ ...settings, scheduleHours: 0 }, { ...setBack, newNotes: 1 })).toMatchObject({
      due: false,
    });
  });

  it('waits for idle and mains power when asked, but an unknown state does not block', () => {
    const due = { ...base, newNotes: 10 };
    expect(adaptationDue(settings, { ...due, idle: false })).toMatchObject({ due: false });
    expect(adaptationDue(settings, { ...due, onBattery: true })).toMatchObject({ due: false });
    expect(adaptationDue(settings, { ...due, idle: undefined, onBattery: undefined })).toMatchObject({
      due: true,
    });
    expect(adaptationDue({ ...settings, onlyOnPower: false }, { ...due, onBattery: true })).toMatchObject({
      due: true,
    });
    expect(adaptationDue({ ...settings, enabled: false }, due)).toMatchObject({ due: false });
  });
});

describe('AdaptationScheduler', () => {
  it('starts one run when due and none while another is active', async () => {
    const started: string[] = [];
    let busy = false;
    const scheduler = new AdaptationScheduler({
      settings: () => ({ ...settings, onlyWhenIdle: false }),
      counts: async () => ({ newNotes: 12, feedbackEvents: 0, lastVersionMs: 0 }),
      onBattery: () => false,
      busy: () => busy,
      start: (reason) => started.push(reason),
    });
    expect(await scheduler.check()).toMatchObject({ due: true });
    busy = true;
    expect(await scheduler.check()).toMatchObject({ due: false });
    expect(started).toEqual(['12 new or changed notes']);
  });
});
