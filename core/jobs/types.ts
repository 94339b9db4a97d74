import type { Progress } from '../base/index.ts';

export type JobKind = 'import' | 'adapt' | 'backfill' | 'reindex' | 'download';
export type JobState = 'queued' | 'running' | 'paused' | 'finished' | 'failed' | 'cancelled';

/** A job as lists and events show it. */
export interface JobInfo {
  id: string;
  kind: JobKind;
  state: JobState;
  label: string;
  phase?: string;
  /**
   * A short human detail of the phase, as the job reports it: in phase 'waiting', who holds the
   * data folder's writer lock ("another Driftless process (pid 123, `driftless add`: Import
   * ~/notes, holding since 14:02)").
   */
  detail?: string;
  done: number;
  total?: number;
  etaSeconds?: number;
  startedMs?: number;
  finishedMs?: number;
  error?: string;
  /** The error code of a failed job where known (e.g. OFFLINE for a download that could not connect). */
  errorCode?: string;
  /** The folder an import works on, so the window can show its progress in that folder's row. */
  folderId?: string;
}

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
  folderId?: string;
  /**
   * A routine check that usually finds nothing to do: it is listed and announced only once it
   * reports progress (it found work) or fails, so a start does not leave a "0" job in every list.
   */
  quiet?: boolean;
  run(context: JobContext): Promise<T>;
}
