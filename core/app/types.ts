import type { Emitter } from '../base/index.ts';
import type {
  AdaptationOptions,
  AdaptationOutcome,
  EncoderTrainer,
  LoadVersionEncoder,
} from '../adapt/index.ts';
import type { ReindexResult } from '../reembed/index.ts';
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
  /** Vector length of the encoder (default 512, the bundled encoder's). */
  dimensions?: number;
  /** The backbone recorded for v0 on first use (default 'use-lite'). */
  backboneId?: string;
  /** Continues training encoder versions; default: the tfjs trainer of core/adapt/train. */
  trainer?: EncoderTrainer;
  /** Loads the encoder of a trained version vN from its folder; default: core/adapt/train's. */
  loadVersionEncoder?: LoadVersionEncoder;
  /** Training, pair and gate settings of adaptation runs (defaults: the product's). */
  adaptation?: AdaptationOptions;
  /**
   * Run again the adaptation, reindex and backfill jobs a crash cut off (default: `watch`, the
   * running app); otherwise they are listed as failed jobs saying they were interrupted.
   */
  resumeJobs?: boolean;
  /** True on battery power, false on mains, undefined when unknown (Electron: powerMonitor). */
  onBattery?: () => boolean | undefined;
  /**
   * An index too damaged to open (INDEX_DAMAGED) is moved aside and an empty one opened, for
   * `driftless repair`; its repairIndex then only imports the folders again. Default: the error.
   */
  setAsideDamagedIndex?: boolean;
  /**
   * An index too damaged to open (INDEX_DAMAGED) opens as one that fails every call with that
   * error, moving nothing: for `driftless status`, which then still reports folders, versions and
   * the damage with what to do. Default: the error.
   */
  openDamagedIndex?: boolean;
  /**
   * What this process is, as another one waiting for its writer lock sees it (`driftless add`);
   * default: "the Driftless app" under Electron, else nothing.
   */
  command?: string;
  /**
   * How long a write job waits while another process holds the data folder's writer lock before it
   * fails with LOCKED naming the holder (the command line's --lock-wait). Default: until the holder
   * finishes, the job showing phase 'waiting' with the holder as its detail (the app, where the
   * person sees it and can cancel).
   */
  lockWaitMs?: number;
  /** Where model downloads come from (a mirror, or a local server in tests); default Hugging Face. */
  modelBaseUrl?: string;
}

/** A background job started through the App (not part of the API contract). */
export interface StartedJob<T> {
  jobId: string;
  result: Promise<T>;
}

/** An opened Driftless data folder: the API, its events, and an orderly close. */
export interface App {
  readonly api: DriftlessApi;
  readonly events: Emitter<ApiEvent>;
  readonly dataDir: string;
  /** Waits for queued jobs of the given kinds (default: all) to settle; used by the CLI and tests. */
  idle(): Promise<void>;
  /** Starts an adaptation with training overrides (e.g. steps); the API's startAdaptation uses defaults. */
  startAdaptation?(options: { steps?: number }): StartedJob<AdaptationOutcome>;
  /** Re-embeds every row of another version with the current version (job kind 'reindex'). */
  startReindex?(): StartedJob<ReindexResult>;
  /** Re-embeds old versions' rows in the background, most retrieved first, rate-limited ('backfill'). */
  startBackfill?(): StartedJob<ReindexResult>;
  /** Resolves once every folder watcher has made its first scan (at once without `watch`). */
  watching?(): Promise<void>;
  close(): Promise<void>;
}
