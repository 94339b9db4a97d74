import type { Progress } from '../base/index.ts';
import type { JobInfo, JobKind } from '../service/contract.ts';

/** What a running job can do besides its own work: report progress and honour pause and cancel. */
export interface JobContext {
  readonly signal: AbortSignal;
  report(progress: Progress): void;
  /** Call between units of work: waits while the job is paused, throws CANCELLED once it is cancelled. */
  checkpoint(): Promise<void>;
}

export interface JobSpec<T = unknown> {
  kind: JobKind;
  label: string;
  run(context: JobContext): Promise<T>;
}

export type { JobInfo, JobKind };
