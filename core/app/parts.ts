import type { DataPaths, Emitter } from '../base/index.ts';
import type {
  AdaptationOptions,
  EncoderTrainer,
  FeedbackLog,
  NewNotesCounter,
  RetrievalCounts,
  VersionedEncoders,
  VersionSearchSpace,
} from '../adapt/index.ts';
import type { Encoder } from '../encoder/index.ts';
import type { JobQueue, JobSpec } from '../jobs/index.ts';
import type { FolderRegistry, ImportReports } from '../library/index.ts';
import type { NoteMarks } from '../marks/index.ts';
import type { ApiEvent } from '../service/contract.ts';
import type { NoteIndex } from '../store/index.ts';
import type { VersionStore } from '../versions/index.ts';
import type { FusionChoices } from './fusionRefresh.ts';
import type { InFlight } from './inFlight.ts';
import type { JobEncoders } from './jobEncoders.ts';
import type { JobJournal } from './jobJournal.ts';
import type { ModelsPart } from './modelsApi.ts';
import type { DesktopOpener } from './noteAccess.ts';
import type { SpaceSources } from './searchSpace.ts';
import type { SettingsStore } from './settings.ts';

/**
 * What the app is made of, as `openApp` wires it. Its own file, so the method groups
 * (api.ts, adaptationApi.ts, searchModelApi.ts, ...) share it without importing each other.
 */
export interface AppParts {
  paths: DataPaths;
  events: Emitter<ApiEvent>;
  jobs: JobQueue;
  folders: FolderRegistry;
  reports: ImportReports;
  settings: SettingsStore;
  /** BUNDLED_MODEL or the catalogue id of the model search uses; the fields below are its space. */
  searchModel: string;
  index: NoteIndex;
  /** The encoder of the current version (what new notes and queries are embedded with). */
  encoder: () => Promise<Encoder>;
  opener: DesktopOpener;
  versions: VersionStore;
  encoders: VersionedEncoders;
  space: VersionSearchSpace;
  feedback: FeedbackLog;
  /** Pins and hides: they rank the user's searches at once, not only after adaptation. */
  marks: NoteMarks;
  retrievals: RetrievalCounts;
  newNotes: NewNotesCounter;
  trainer: () => Promise<EncoderTrainer>;
  /** The tfjs backend of the training run in progress or last started in this process, and why. */
  trainingBackend?: string;
  trainingBackendReason?: string;
  /** Encoders of imports, reindex and adaptation: on the heavy-work thread where possible. */
  jobEncoders: JobEncoders;
  adaptation: AdaptationOptions;
  dimensions: number;
  /** How the space of another search model is opened. */
  spaceSources: SpaceSources;
  /** How hybrid search fuses its retrievers, chosen from the notes (see fusionRefresh.ts). */
  fusion: FusionChoices;
  /** Searches in progress: a replaced space closes once they are done. */
  searches: InFlight;
  /** The model catalogue, its installs and the download queue. */
  models: ModelsPart;
  /** Adaptation, reindex and backfill jobs in flight, for the start after a crash. */
  journal: JobJournal;
  /** Where the app moved an index it could not open (AppOptions.setAsideDamagedIndex), until rebuilt. */
  indexSetAside?: string;
  /** Called after imports and feedback: lets the scheduler start an adaptation when one is due. */
  onActivity?: () => void;
}

export type WriteJob = <T>(spec: JobSpec<T>) => { id: string; result: Promise<T> };
