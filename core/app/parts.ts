import type { DataPaths, Emitter } from '../base/index.ts';
import type { AdaptationOptions, EncoderTrainer, NewNotesCounter } from '../adapt/index.ts';
import type { RetrievalCounts } from '../reembed/index.ts';
import type { JobQueue, JobSpec } from '../jobs/index.ts';
import type { FolderRegistry, ImportReports } from '../library/index.ts';
import type { NoteMarks } from '../marks/index.ts';
import type { ApiEvent } from '../service/contract.ts';
import type { FeedbackLog } from '../store/index.ts';
import type { FusionChoices } from './fusionRefresh.ts';
import type { InFlight } from './inFlight.ts';
import type { JobEncoders } from './jobEncoders.ts';
import type { JobJournal } from './jobJournal.ts';
import type { ModelsPart } from './modelsApi.ts';
import type { DesktopOpener } from './noteAccess.ts';
import type { Replaceable } from './replaceable.ts';
import type { SearchSpace, SpaceSources } from './searchSpace.ts';
import type { SettingsStore } from './settings.ts';

/** The tfjs backend a training run started on in this process, and why. */
export interface TrainingBackend {
  name: string;
  reason?: string;
}

/**
 * What the app is made of, as `openApp` wires it. Its own file, so the method groups
 * (api.ts, adaptationApi.ts, searchModelApi.ts, ...) share it without importing each other.
 * The parts never change; what the running app replaces is held in a `Replaceable`, one value at a
 * time (the search space as a whole: its model, index, versions and encoders together).
 */
export interface AppParts {
  readonly paths: DataPaths;
  readonly events: Emitter<ApiEvent>;
  readonly jobs: JobQueue;
  readonly folders: FolderRegistry;
  readonly reports: ImportReports;
  readonly settings: SettingsStore;
  /**
   * The space of the model search uses now. Take it once per search or job: a model switch or an
   * index repair replaces it whole while that runs.
   */
  readonly searchSpace: Replaceable<SearchSpace>;
  readonly opener: DesktopOpener;
  readonly feedback: FeedbackLog;
  /** Pins and hides: they rank the user's searches at once, not only after adaptation. */
  readonly marks: NoteMarks;
  readonly retrievals: RetrievalCounts;
  readonly newNotes: NewNotesCounter;
  readonly trainer: () => Promise<EncoderTrainer>;
  /** The tfjs backend of the training run in progress or last started in this process. */
  readonly trainingBackend: Replaceable<TrainingBackend | undefined>;
  /** Encoders of imports, reindex and adaptation: on the heavy-work thread where possible. */
  readonly jobEncoders: JobEncoders;
  readonly adaptation: AdaptationOptions;
  /** How the space of another search model is opened. */
  readonly spaceSources: SpaceSources;
  /** How hybrid search fuses its retrievers, chosen from the notes (see fusionRefresh.ts). */
  readonly fusion: FusionChoices;
  /** Searches in progress: a replaced space closes once they are done. */
  readonly searches: InFlight;
  /** The model catalogue, its installs and the download queue. */
  readonly models: ModelsPart;
  /** Adaptation, reindex and backfill jobs in flight, for the start after a crash. */
  readonly journal: JobJournal;
  /** Where the app moved an index it could not open (AppOptions.setAsideDamagedIndex), until rebuilt. */
  readonly indexSetAside: Replaceable<string | undefined>;
  /** Emitted after imports and feedback: lets the scheduler start an adaptation when one is due. */
  readonly activity: Emitter<void>;
  /** How write jobs wait for the writer lock: AppOptions.command and lockWaitMs. */
  readonly writerLock: { command?: string; waitMs?: number };
}

export type WriteJob = <T>(spec: JobSpec<T>) => { id: string; result: Promise<T> };
