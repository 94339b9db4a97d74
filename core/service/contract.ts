/**
 * The one API contract of Driftless: every method the search window, the CLI and the local web mode
 * call, with a runtime schema for its argument. Both transports (Electron IPC and local HTTP) carry
 * exactly these methods, and `dispatch` validates every argument against these schemas, because the
 * HTTP transport can be reached by any local process.
 *
 * This file is runtime-neutral (no Node APIs) so the renderer can import its types. The types of
 * what the domains produce (hits, jobs, import reports) live in their domains; this file re-exports
 * them, and proves at compile time that each runtime schema accepts exactly its domain's type.
 */
import { z } from 'zod';
import type { AdaptationSettings, StepPlan } from '../adapt/index.ts';
import type { NoteFormat } from '../ingest/index.ts';
import type { JobInfo, JobKind, JobState } from '../jobs/index.ts';
import type { ImportReport } from '../library/index.ts';
import type { QueryChip, SearchFilters, SearchHit } from '../search/index.ts';
import type { FeedbackInput, FeedbackKind } from '../store/index.ts';
import type { NoteMark } from '../marks/index.ts';

export type { NoteMark };

const text = (max: number) => z.string().max(max);
const id = z.string().min(1).max(200);
const relPath = z.string().min(1).max(4096);

export type {
  AdaptationSettings,
  FeedbackInput,
  FeedbackKind,
  ImportReport,
  JobInfo,
  JobKind,
  JobState,
  NoteFormat,
  QueryChip,
  SearchFilters,
  SearchHit,
};

export const searchFiltersSchema = z
  .object({
    folderIds: z.array(id).max(100).optional(),
    tags: z.array(text(200)).max(100).optional(),
    pathGlob: text(1000).optional(),
    modifiedAfterMs: z.number().int().nonnegative().optional(),
    modifiedBeforeMs: z.number().int().nonnegative().optional(),
  })
  .strict();

export const feedbackKindSchema = z.enum(['open', 'up', 'down', 'pin', 'hide']);

/**
 * Bounds of the training time budget setting: under 5 minutes the slowest backends (about 35 s a
 * step under load) fit fewer than the 10 steps worth a run; 4 hours fits the 200 configured steps
 * even at twice that pace, so a longer budget would only hold the cores longer.
 */
export const TRAINING_MINUTES = { min: 5, max: 240 } as const;

export const settingsSchema = z
  .object({
    adaptation: z
      .object({
        enabled: z.boolean(),
        /** Run after this many new or changed notes since the last version. */
        afterNewNotes: z.number().int().min(1).max(1_000_000),
        /** Run after this many feedback events since the last version. */
        afterFeedbackEvents: z.number().int().min(1).max(1_000_000),
        /** Hours between scheduled runs; 0 disables the schedule. */
        scheduleHours: z
          .number()
          .min(0)
          .max(24 * 30),
        onlyWhenIdle: z.boolean(),
        onlyOnPower: z.boolean(),
        /** Minutes a run may train: its first steps are timed and it plans the steps that fit. */
        trainingMinutes: z.number().int().min(TRAINING_MINUTES.min).max(TRAINING_MINUTES.max),
      })
      .strict(),
    backfill: z
      .object({ enabled: z.boolean(), chunksPerMinute: z.number().int().min(1).max(100_000) })
      .strict(),
    shortcut: text(100),
    theme: z.enum(['system', 'light', 'dark']),
    ignore: z.array(text(500)).max(1000),
    maxFileBytes: z
      .number()
      .int()
      .min(1024)
      .max(1024 * 1024 * 1024),
    /** Characters of one note that are chunked and embedded; the rest of a longer note is not searchable. */
    maxIndexedChars: z.number().int().min(10_000).max(1_000_000_000),
    /** What the window searches with: words (text), meaning (dense) or both (hybrid). */
    searchMode: z.enum(['hybrid', 'dense', 'text']),
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;

/** The settings of a fresh install; missing keys in `settings.json` take these values. */
export const DEFAULT_SETTINGS: Settings = {
  adaptation: {
    // Off until adapting is shown never to make search worse on both shared benchmark sequences
    // (issue 12's goals); "Adapt now" and `driftless adapt` work either way.
    enabled: false,
    afterNewNotes: 200,
    afterFeedbackEvents: 50,
    scheduleHours: 24,
    onlyWhenIdle: true,
    onlyOnPower: true,
    // The product's default budget (DEFAULT_TRAIN.maxMinutes explains the figure).
    trainingMinutes: 20,
  },
  backfill: { enabled: false, chunksPerMinute: 600 },
  shortcut: 'CommandOrControl+Shift+Space',
  theme: 'system',
  ignore: [],
  maxFileBytes: 10 * 1024 * 1024,
  maxIndexedChars: 1_000_000,
  searchMode: 'hybrid',
};

/** Argument schemas, one per method. The method list is the API. */
export const apiArgs = {
  status: z.object({}).strict(),
  search: z
    .object({
      query: text(2000),
      limit: z.number().int().min(1).max(200).optional(),
      filters: searchFiltersSchema.optional(),
      /** 'hybrid' (default) fuses dense and full-text; the others exist for evaluation and debugging. */
      mode: z.enum(['hybrid', 'dense', 'text']).optional(),
    })
    .strict(),
  getNote: z
    .object({
      folderId: id,
      notePath: relPath,
      /** A character offset the preview should include (a hit's start) when the note is too long to send whole. */
      around: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
    })
    .strict(),
  openNote: z.object({ folderId: id, notePath: relPath }).strict(),
  revealNote: z.object({ folderId: id, notePath: relPath }).strict(),
  recordFeedback: z
    .object({
      query: text(2000),
      kind: feedbackKindSchema,
      folderId: id,
      notePath: relPath,
      chunkId: id.optional(),
      /** The ranked note keys (folderId + '/' + notePath) the user saw, top first. */
      shown: z.array(text(5000)).max(200),
      encoderVersion: text(100),
    })
    .strict(),
  listFolders: z.object({}).strict(),
  /** `~` and a relative path are read from the user's home folder. */
  addFolder: z.object({ path: z.string().min(1).max(4096) }).strict(),
  /** Existing folders completing a path being typed (directory names only, never file contents). */
  suggestFolders: z.object({ typed: z.string().max(4096) }).strict(),
  removeFolder: z.object({ folderId: id }).strict(),
  syncFolders: z.object({ folderId: id.optional() }).strict(),
  getImportReport: z.object({ folderId: id }).strict(),
  /** Moves the index aside (never deleted) and rebuilds it from every added folder. */
  repairIndex: z.object({}).strict(),
  listJobs: z.object({}).strict(),
  pauseJob: z.object({ jobId: id }).strict(),
  resumeJob: z.object({ jobId: id }).strict(),
  cancelJob: z.object({ jobId: id }).strict(),
  startAdaptation: z.object({}).strict(),
  listVersions: z.object({}).strict(),
  rollback: z.object({ version: id }).strict(),
  getSettings: z.object({}).strict(),
  updateSettings: z.object({ settings: settingsSchema.partial() }).strict(),
  listModels: z.object({}).strict(),
  /** Model ids are checked against the catalogue at run time (unknown id: NOT_FOUND). */
  downloadModel: z.object({ id }).strict(),
  importModel: z.object({ id, path: z.string().min(1).max(4096) }).strict(),
  removeModel: z.object({ id }).strict(),
  /** Switches search to an installed model, or back to the bundled encoder with id 'bundled'. */
  useModel: z.object({ id }).strict(),
  /** Pinned and hidden notes, newest first. */
  listMarks: z.object({}).strict(),
  /** Removes a note's pin or hide: undo, unpin, show again. */
  clearMark: z.object({ folderId: id, notePath: relPath }).strict(),
} as const;

export type ApiMethod = keyof typeof apiArgs;
export type ApiArgs<M extends ApiMethod> = z.infer<(typeof apiArgs)[M]>;
export const API_METHODS = Object.keys(apiArgs) as ApiMethod[];

/** True when A and B accept the same values. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// `tsc` fails here when a schema and the domain type it checks drift apart.
const schemasMatchDomainTypes: [
  Same<z.infer<typeof searchFiltersSchema>, SearchFilters>,
  Same<z.infer<typeof feedbackKindSchema>, FeedbackKind>,
  Same<ApiArgs<'recordFeedback'>, FeedbackInput>,
  Same<Settings['adaptation'], AdaptationSettings>,
] = [true, true, true, true];
void schemasMatchDomainTypes;

export interface StatusInfo {
  dataDir: string;
  folders: number;
  notes: number;
  chunks: number;
  currentVersion: string;
  /** Rows per encoder version in the index. */
  rowsByVersion: Record<string, number>;
  indexBytes: number;
  /** `runtime` names the onnxruntime execution provider search runs on; `runtimeReason` says why. */
  encoder: { backboneId: string; dimensions: number; runtime: string; runtimeReason?: string };
  /** The tfjs backend training runs on (webgpu, tensorflow-gpu, tensorflow, wasm, cpu). */
  trainingBackend?: string;
  /** Why that backend, e.g. "GPU: none found, training on WebAssembly, 1 thread". */
  trainingBackendReason?: string;
  /** Damaged side files (settings, folders, reports...) this process set aside and rebuilt or defaulted. */
  repairs?: Array<{ file: string; movedTo?: string; problem: string; atMs: number }>;
  /** Encoder versions whose rows dense search cannot reach as it should (a refused map file, a damaged version). */
  versionProblems?: Array<{ version: string; problem: string }>;
  /**
   * Set while the search index is damaged (INDEX_DAMAGED: it cannot be read, or it could not be
   * opened and was moved aside to `setAsideTo`): what is wrong and what to do. The counts are then
   * those of the index in use: 0 while it cannot be read, the new one's once set aside.
   */
  indexDamaged?: IndexDamage;
}

export interface IndexDamage {
  problem: string;
  /** What to do: run `driftless repair`, or Repair in the window (`repairIndex`). */
  hint: string;
  setAsideTo?: string;
}

export interface SearchResponse {
  query: string;
  /** The notes that match the query. */
  hits: SearchHit[];
  /** Notes only loosely related in meaning, shown apart from the results (may be empty). */
  related: SearchHit[];
  /** The query's filters, phrases and exclusions as understood, in the order they apply. */
  understood: QueryChip[];
  tookMs: number;
  versionsSearched: string[];
}

export interface NoteContent {
  folderId: string;
  notePath: string;
  title: string;
  format: NoteFormat;
  /** The note's text as stored on disk (the renderer sanitises before display), or the excerpt of it. */
  content: string;
  /** Set when `content` is only characters [start, end) of a note of `totalChars`. */
  excerpt?: { start: number; end: number; totalChars: number };
  modifiedMs: number;
}

export interface FolderInfo {
  id: string;
  root: string;
  notes: number;
  chunks: number;
  skipped: number;
  lastSyncMs?: number;
}

/** Completions of a folder path being typed. */
export interface FolderSuggestions {
  /** Full paths of existing folders that complete it, at most 20, by name. */
  folders: string[];
  /** The typed path made absolute; `relativeTo` is the home folder a relative path was read from. */
  expanded: { path: string; relativeTo?: string };
}

export interface VersionInfo {
  version: string;
  parent?: string;
  createdMs: number;
  current: boolean;
  rows: number;
  compensator?: { kind: string; quality: number };
  metrics?: Record<string, number>;
  /** How many steps its training planned, of how many configured, and why; absent for versions trained before plans. */
  stepPlan?: StepPlan;
  note?: string;
}

/** A model of the curated catalogue and its install state. */
export interface ModelInfo {
  id: string;
  name: string;
  dimensions: number;
  maxTokens: number;
  pooling: 'mean' | 'cls';
  licence: string;
  /** Total download size, when the catalogue or the install record knows it. */
  sizeBytes?: number;
  installed: boolean;
  /** The repository revision that is installed. */
  installedRevision?: string;
  /** Whether the installed files still match their recorded hashes (checked once per install). */
  verified?: boolean;
  /** Whether search uses this model now (otherwise the bundled encoder or another model). */
  usedForSearch: boolean;
}

/** What each method returns. */
export interface ApiResults {
  status: StatusInfo;
  search: SearchResponse;
  getNote: NoteContent;
  /**
   * `opened`: the desktop accepted the request (it cannot tell whether a window appeared); `path`:
   * the note's file, to copy when nothing opened; `opener`: what was asked to open it (e.g. xdg-open).
   */
  openNote: { opened: boolean; path: string; opener: string };
  revealNote: { revealed: boolean };
  recordFeedback: { recorded: boolean };
  listMarks: NoteMark[];
  clearMark: { cleared: boolean };
  listFolders: FolderInfo[];
  addFolder: FolderInfo;
  suggestFolders: FolderSuggestions;
  removeFolder: { removed: boolean };
  syncFolders: { jobIds: string[] };
  getImportReport: ImportReport;
  /** Where the damaged index was moved, and the job that rebuilds it (it queues the imports). */
  repairIndex: { setAsideTo: string; jobIds: string[] };
  listJobs: JobInfo[];
  pauseJob: JobInfo;
  resumeJob: JobInfo;
  cancelJob: JobInfo;
  startAdaptation: { jobId: string };
  listVersions: VersionInfo[];
  rollback: { current: string };
  getSettings: Settings;
  updateSettings: Settings;
  listModels: ModelInfo[];
  downloadModel: { jobId: string };
  importModel: ModelInfo;
  removeModel: { removed: boolean };
  useModel: { jobId: string };
}

/** The event stream: progress, job state and index changes. */
export type ApiEvent =
  | { type: 'job'; job: JobInfo }
  | { type: 'index-changed'; folderId?: string }
  | { type: 'versions-changed'; current: string }
  | { type: 'folders-changed' }
  /** The settings changed: saved here, or by another process on the same data folder. */
  | { type: 'settings-changed' };

/** The API as the renderer and the CLI see it: one async function per method. */
export type DriftlessApi = { [M in ApiMethod]: (args: ApiArgs<M>) => Promise<ApiResults[M]> };

/** Wire envelope for a call result, identical over IPC and HTTP. */
export type Envelope<T> =
  | { ok: true; value: T }
  | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

/**
 * What the Electron preload exposes on `window.driftless` (absent in web mode): the one IPC channel
 * for calls, the event stream, and the native folder picker. The preload builds exactly this type.
 */
export interface DriftlessBridge {
  call(method: string, args: unknown): Promise<Envelope<unknown>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  /** Opens the native folder picker; resolves to the chosen path, or null when cancelled. */
  pickFolder?: () => Promise<string | null>;
}

// In its own file so the command line can show names without loading this file's schemas (zod).
export { showHiddenCharacters } from './hiddenCharacters.ts';
