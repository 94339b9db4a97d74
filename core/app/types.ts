import type { Emitter } from '../base/index.ts';
import type { Encoder } from '../encoder/index.ts';
import type { DesktopOpener } from './noteAccess.ts';
import type { ApiEvent, DriftlessApi } from '../service/contract.ts';

export interface AppOptions {
  /** The data folder; see resolveDataDir. */
  dataDir: string;
  /** Watch added folders and sync changes as they happen (the running app); off for one-shot CLI use. */
  watch?: boolean;
  /** Loads the encoder to use instead of the bundled one (tests, other models); called on first use. */
  loadEncoder?: () => Promise<Encoder>;
  /** Opens notes in the desktop's default application; Electron passes one built on `shell`. */
  opener?: DesktopOpener;
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
