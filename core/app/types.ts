import type { Emitter } from '../base/index.ts';
import type { ApiEvent, DriftlessApi } from '../service/contract.ts';

export interface AppOptions {
  /** The data folder; see resolveDataDir. */
  dataDir: string;
  /** Watch added folders and sync changes as they happen (the running app); off for one-shot CLI use. */
  watch?: boolean;
}

/** An opened Driftless data folder: the API, its events, and an orderly close. */
export interface App {
  readonly api: DriftlessApi;
  readonly events: Emitter<ApiEvent>;
  readonly dataDir: string;
  /** Waits for queued jobs of the given kinds (default: all) to settle; used by the CLI and tests. */
  idle(): Promise<void>;
  close(): Promise<void>;
}
