export { adaptationDue, systemLooksIdle } from './triggers.ts';
export type { AdaptationSettings, TriggerState, TriggerVerdict } from './triggers.ts';
export { AdaptationScheduler, NewNotesCounter } from './scheduler.ts';
export type { SchedulerDeps } from './scheduler.ts';
