import os from 'node:os';

/** The adaptation part of the app's settings (the contract's `settingsSchema` checks it at run time). */
export interface AdaptationSettings {
  enabled: boolean;
  /** Run after this many new or changed notes since the last version. */
  afterNewNotes: number;
  /** Run after this many feedback events since the last version. */
  afterFeedbackEvents: number;
  /** Hours between scheduled runs; 0 disables the schedule. */
  scheduleHours: number;
  onlyWhenIdle: boolean;
  onlyOnPower: boolean;
  /** The training time budget of a run in minutes (`TrainOptions.maxMinutes`); no trigger reads it. */
  trainingMinutes: number;
}

/** What the app knows when it asks whether an adaptation run is due. */
export interface TriggerState {
  /** Notes added or changed since the current version was published. */
  newNotes: number;
  /** Feedback events since the current version was published. */
  feedbackEvents: number;
  /** When the current version was published (the schedule counts from it). */
  lastVersionMs: number;
  nowMs: number;
  /** True when the machine looks idle; undefined when that cannot be told. */
  idle: boolean | undefined;
  /** True on battery, false on mains; undefined when unknown (plain Node cannot tell). */
  onBattery: boolean | undefined;
}

export type TriggerVerdict = { due: true; reason: string } | { due: false; reason: string };

/**
 * Decides whether to start an automatic adaptation: after `afterNewNotes` new notes, after
 * `afterFeedbackEvents` feedback events, or when `scheduleHours` have passed since the last
 * version; and only when the conditions allow. An unknown idle or power state does not block a
 * run (the app cannot learn it everywhere); a known busy machine or battery does.
 */
export function adaptationDue(settings: AdaptationSettings, state: TriggerState): TriggerVerdict {
  if (!settings.enabled) return { due: false, reason: 'adaptation is turned off' };
  const reason = triggerReason(settings, state);
  if (!reason) return { due: false, reason: 'nothing new to learn from yet' };
  if (settings.onlyWhenIdle && state.idle === false)
    return { due: false, reason: 'waiting for the machine to be idle' };
  if (settings.onlyOnPower && state.onBattery === true)
    return { due: false, reason: 'waiting for mains power' };
  return { due: true, reason };
}

function triggerReason(settings: AdaptationSettings, state: TriggerState): string | undefined {
  if (state.newNotes >= settings.afterNewNotes) return `${state.newNotes} new or changed notes`;
  if (state.feedbackEvents >= settings.afterFeedbackEvents) return `${state.feedbackEvents} feedback events`;
  if (
    settings.scheduleHours > 0 &&
    state.lastVersionMs > state.nowMs &&
    state.newNotes + state.feedbackEvents > 0
  )
    // Published "in the future": the clock was set back since. Waiting for it to catch up could
    // stall the schedule for as long as the jump was, so the schedule counts as passed.
    return 'the clock was set back since the last version';
  const hours = (state.nowMs - state.lastVersionMs) / 3_600_000;
  if (
    settings.scheduleHours > 0 &&
    hours >= settings.scheduleHours &&
    state.newNotes + state.feedbackEvents > 0
  )
    return `${Math.floor(hours)} hours since the last version`;
  return undefined;
}

/**
 * Idle as far as Node can tell: the 1-minute load average per core under `threshold`. Windows
 * has no load average (Node reports zeros), so there the answer is undefined (unknown). Node has
 * no power-state API at all; Electron's main process can pass powerMonitor.isOnBatteryPower().
 */
export function systemLooksIdle(threshold = 0.3): boolean | undefined {
  if (process.platform === 'win32') return undefined;
  const [oneMinute] = os.loadavg();
  return (oneMinute ?? 0) / Math.max(1, os.cpus().length) < threshold;
}
