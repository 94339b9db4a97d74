import fs from 'node:fs/promises';
import path from 'node:path';
import {
  dataPaths,
  DriftlessError,
  Emitter,
  logAndContinue,
  logFailure,
  openLog,
  type DataPaths,
} from '../base/index.ts';
import {
  AdaptationScheduler,
  NewNotesCounter,
  systemLooksIdle,
  type EncoderTrainer,
  type LoadVersionEncoder,
} from '../adapt/index.ts';
import { RetrievalCounts } from '../reembed/index.ts';
import { BundledEncoder } from '../encoder/index.ts';
import { acquireWriterLock, JobQueue } from '../jobs/index.ts';
import { sharedOffThreadHost } from '../jobs/offThread/index.ts';
import { FolderRegistry, ImportReports } from '../library/index.ts';
import { FeedbackLog } from '../store/index.ts';
import { NoteMarks } from '../marks/index.ts';
import type { ApiEvent } from '../service/contract.ts';
import { startAdaptation, startReindex } from './adaptationApi.ts';
import { createApi, writeJobFor } from './api.ts';
import { openRepairable } from './indexRepair.ts';
import { InFlight } from './inFlight.ts';
import type { AppParts, TrainingBackend } from './parts.ts';
import { Replaceable } from './replaceable.ts';
import { openModels } from './modelsApi.ts';
import { handleInterruptedJobs } from './interruptedJobs.ts';
import { bundledSource, JobEncoders } from './jobEncoders.ts';
import { JobJournal } from './jobJournal.ts';
import { systemOpener } from './noteAccess.ts';
import { upgradeNoteDates } from './noteDatesUpgrade.ts';
import {
  BUNDLED_MODEL,
  closeSearchSpace,
  openSearchSpace,
  readSearchModel,
  type SearchSpace,
  type SpaceSources,
} from './searchSpace.ts';
import { FUSION_JOB_LABEL, FusionChoices } from './fusionRefresh.ts';
import { watchFolders } from './folderWatchers.ts';
import { followFolderList } from './folderListFollower.ts';
import { SettingsStore } from './settings.ts';
import { followSettings } from './settingsFollower.ts';
import { checkTokenizerRevision } from './tokenizerRevision.ts';
import type { App, AppOptions } from './types.ts';

export type { App, AppOptions } from './types.ts';

/** Jobs after which the hybrid fusion may be due to be chosen again. */
const FUSION_CHECK_KINDS = new Set(['import', 'adapt', 'reindex']);
/** The quiet job every start queues to repair what a crashed writer left in the index. */
const INDEX_CHECK_LABEL = 'Check the index';
export { DEFAULT_SETTINGS } from './settings.ts';

/**
 * Opens a data folder and wires every part of core/ into one API. The encoder loads on first use,
 * so status, folder lists and full-text search answer at once even on the very first start.
 */
export async function openApp(options: AppOptions): Promise<App> {
  const paths = dataPaths(options.dataDir);
  await fs.mkdir(paths.root, { recursive: true });
  openLog(paths.root);
  const models = await openModels(paths.models, options.modelBaseUrl);
  const spaceSources: SpaceSources = {
    bundled: {
      load:
        options.loadEncoder ?? (() => BundledEncoder.load({ cacheDir: path.join(paths.models, 'use-lite') })),
      dimensions: options.dimensions ?? 512,
      backboneId: options.backboneId ?? 'use-lite',
    },
    loadVersionEncoder: options.loadVersionEncoder ?? loadTrainedEncoder,
    models: models.manager,
  };
  const opened = await openRepairable(
    paths,
    () => openChosenSpace(paths, spaceSources, options.openDamagedIndex ?? false),
    options.setAsideDamagedIndex ?? false,
  );
  const searchSpace = new Replaceable<SearchSpace>(opened.space);
  const trainingBackend = new Replaceable<TrainingBackend | undefined>(undefined);
  const parts: AppParts = {
    paths,
    events: new Emitter<ApiEvent>(),
    jobs: new JobQueue(),
    folders: await FolderRegistry.open(paths.root),
    reports: new ImportReports(path.join(paths.root, 'reports')),
    settings: await SettingsStore.open(paths.root),
    searchSpace,
    opener: options.opener ?? systemOpener,
    spaceSources,
    searches: new InFlight(),
    fusion: await FusionChoices.open(paths.root),
    // Feedback is about notes, not vectors: one log whatever model searches, outside every index.
    feedback: await FeedbackLog.open(paths.feedback, {
      // Feedback an older version kept inside an index moved aside moves out of that folder.
      indexDir: opened.setAsideTo ?? paths.index,
      jsonl: path.join(paths.root, 'feedback.jsonl'),
    }),
    marks: await NoteMarks.open(path.join(paths.root, 'marks.json')),
    retrievals: await RetrievalCounts.open(path.join(paths.root, 'retrievals.json')),
    newNotes: await NewNotesCounter.open(path.join(paths.root, 'adaptation.json')),
    trainer: lazyTrainer(options.trainer, path.join(paths.models, 'use-lite'), (name, reason) =>
      trainingBackend.replace({ name, reason }),
    ),
    trainingBackend,
    adaptation: options.adaptation ?? {},
    journal: new JobJournal(paths.jobs),
    indexSetAside: new Replaceable(opened.setAsideTo),
    activity: new Emitter<void>(),
    writerLock: {
      ...(options.command ? { command: options.command } : {}),
      ...(options.lockWaitMs === undefined ? {} : { waitMs: options.lockWaitMs }),
    },
    models,
    jobEncoders: new JobEncoders({
      host: sharedOffThreadHost(),
      // The heavy-work thread opens the bundled encoder's versions itself unless a test replaced them.
      source: (version) => {
        const space = searchSpace.get();
        return space.model === BUNDLED_MODEL &&
          !(version === 'v0' ? options.loadEncoder : options.loadVersionEncoder)
          ? bundledSource(version, {
              cacheDir: path.join(paths.models, 'use-lite'),
              versionsDir: space.versions.dir,
            })
          : undefined;
      },
      local: (version) => searchSpace.get().encoders.get(version),
    }),
  };
  parts.jobs.events.on((job) => parts.events.emit({ type: 'job', job }));
  parts.jobs.endings.on((job) => {
    // Synchronously, before the finished job settles, so that idle() also waits for the check.
    // Endings include quiet jobs: in a running app (watch) the startup index check still leads to
    // a fusion check. A one-shot command closes right after its call, which cancels the job that
    // check would queue: it only started the heavy-work thread and its encoder beside the command's
    // own work (half a second of CPU on every `driftless search`, issue 15).
    const startupCheck = job.label === INDEX_CHECK_LABEL && !options.watch;
    if (
      job.state === 'finished' &&
      job.label !== FUSION_JOB_LABEL &&
      FUSION_CHECK_KINDS.has(job.kind) &&
      !startupCheck
    )
      parts.fusion.check(parts);
  });
  parts.models.downloads.onJob((job) => parts.events.emit({ type: 'job', job }));
  parts.events.on((event) => {
    if (event.type === 'index-changed') searchSpace.get().space.invalidateRows();
  });
  const writeJob = writeJobFor(parts);
  const scheduler = options.watch ? startScheduler(parts, writeJob, options) : undefined;
  const api = createApi(parts);
  const watchers = options.watch
    ? watchFolders(parts, (folderId) => api.syncFolders({ folderId }))
    : undefined;
  const folderList = options.watch ? followFolderList(parts) : undefined;
  const settingsFollower = followSettings(parts, { watch: options.watch ?? false });
  await startupJobs(parts, api, options);
  await checkTokenizerRevision(parts, writeJob);
  await handleInterruptedJobs(parts, writeJob, options.resumeJobs ?? options.watch ?? false);

  return {
    api,
    events: parts.events,
    dataDir: paths.root,
    idle: async () => {
      await Promise.all([parts.jobs.idle(), parts.models.downloads.idle()]);
      await parts.fusion.settled();
      await parts.jobs.idle();
    },
    startAdaptation: (overrides) => started(startAdaptation(parts, writeJob, 'by hand', overrides)),
    startReindex: () => started(startReindex(parts, writeJob, 'reindex')),
    startBackfill: () => started(startReindex(parts, writeJob, 'backfill')),
    watching: async () => watchers?.ready(),
    close: async () => {
      scheduler?.stop();
      folderList?.close();
      settingsFollower.close();
      await watchers?.close();
      // Before the queue: a pending fusion check must not queue its job into a closing queue.
      await parts.fusion.close();
      await Promise.all([parts.jobs.close(), parts.models.downloads.close()]);
      await parts.jobEncoders.close();
      // Counts only steer backfill order and adaptation timing: closing goes on without them.
      await parts.retrievals.save().catch(logAndContinue('Saving retrieval counts at close'));
      await parts.newNotes.save().catch(logAndContinue('Saving new-note counts at close'));
      parts.feedback.close();
      await parts.searches.drained();
      await closeSearchSpace(searchSpace.get());
    },
  };
}

/**
 * Repairs what a crash left in the index (when no other process is writing), and in the running
 * app resumes imports that a crash interrupted (adaptation and reindex jobs: handleInterruptedJobs).
 */
async function startupJobs(parts: AppParts, api: App['api'], options: AppOptions): Promise<void> {
  parts.jobs.enqueue({
    kind: 'import',
    label: INDEX_CHECK_LABEL,
    // Listed only once it finds work: a "Check the index · 0" on every start says nothing.
    quiet: true,
    run: async (context) => {
      const { command } = parts.writerLock;
      const lock = await acquireWriterLock(parts.paths.lock, 'index repair', { command }).catch(
        (error: unknown) => {
          // LOCKED: the process holding the lock is writing and repairs on its own start.
          if (!(error instanceof DriftlessError && error.code === 'LOCKED'))
            logFailure('Taking the writer lock to check the index', error);
          return undefined;
        },
      );
      if (!lock) return;
      try {
        const { index } = parts.searchSpace.get();
        const removed = await index.repair().catch((error: unknown) => {
          // A damaged index is reported by every call that reads it, and `driftless repair` rebuilds
          // it: this check has nothing to add (and a failed job here would fail that repair's run).
          if (error instanceof DriftlessError && error.code === 'INDEX_DAMAGED') return undefined;
          throw error;
        });
        if (removed === undefined) return;
        // A crashed writer leaves half-written files and many small fragments behind: compact now.
        if (lock.afterCrash || removed > 0) {
          context.report({ phase: 'repair after a crash', done: removed });
          await index.compactAfterCrash();
        }
        // A full-text index built with word positions is rebuilt without them (LanceDB cannot
        // optimize a large one), here in the background under the lock.
        await index.upgradeFtsIndex();
        const { root } = parts.paths;
        const { maxFileBytes } = parts.settings.value;
        await upgradeNoteDates(path.join(root, 'note-dates.json'), parts.folders.list(), index, maxFileBytes);
      } finally {
        await lock.release();
      }
    },
  });
  if (!options.watch) return;
  const known = new Set(parts.folders.list().map((folder) => folder.id));
  for (const folderId of await parts.reports.interrupted()) {
    if (known.has(folderId)) await api.syncFolders({ folderId });
  }
}

function started<T>(job: { id: string; result: Promise<T> }) {
  return { jobId: job.id, result: job.result };
}

/**
 * The running app adapts on its own when settings.adaptation says a run is due, and backfills old
 * rows in idle time when settings.backfill allows.
 */
function startScheduler(
  parts: AppParts,
  writeJob: ReturnType<typeof writeJobFor>,
  options: AppOptions,
): { stop(): void } {
  const scheduler = new AdaptationScheduler({
    settings: () => parts.settings.value.adaptation,
    counts: async () => {
      const current = parts.searchSpace.get().versions.current;
      return {
        newNotes: parts.newNotes.count(current.version),
        feedbackEvents: await parts.feedback.count({ sinceMs: current.createdMs }),
        lastVersionMs: current.createdMs,
      };
    },
    ...(options.onBattery ? { onBattery: options.onBattery } : {}),
    // Only the bundled encoder is trained; with a downloaded model search uses it as it is.
    busy: () =>
      parts.searchSpace.get().model !== BUNDLED_MODEL ||
      parts.jobs
        .list()
        .some((job) => job.kind === 'adapt' && !['finished', 'failed', 'cancelled'].includes(job.state)),
    // A failed run is listed as a failed job with its reason; nothing waits on its result here.
    start: (reason) => void startAdaptation(parts, writeJob, reason).result.catch(() => undefined),
  });
  const stopFollowing = parts.activity.on(
    () => void scheduler.check().catch(logAndContinue('Checking whether an adaptation is due')),
  );
  scheduler.start();
  const backfill = setInterval(
    () => void maybeBackfill(parts, writeJob).catch(logAndContinue('Checking whether a backfill is due')),
    600_000,
  );
  backfill.unref();
  return { stop: () => (stopFollowing(), scheduler.stop(), clearInterval(backfill)) };
}

/** In idle time, re-embeds rows of older versions (settings.backfill), one job at a time. */
async function maybeBackfill(parts: AppParts, writeJob: ReturnType<typeof writeJobFor>): Promise<void> {
  if (!(await parts.settings.current()).backfill.enabled || systemLooksIdle() === false) return;
  if (parts.jobs.list().some((job) => ['queued', 'running', 'paused'].includes(job.state))) return;
  const { index, versions } = parts.searchSpace.get();
  const rows = await index.countRowsByVersion();
  const current = versions.current.version;
  const older = versions.lineage(current).slice(1);
  if (older.some((manifest) => (rows[manifest.version] ?? 0) > 0)) startReindex(parts, writeJob, 'backfill');
}

/**
 * The space of the recorded search model; the bundled one when that model's files are gone (removed
 * outside the app), so the app always opens with a working search.
 */
async function openChosenSpace(
  paths: DataPaths,
  sources: SpaceSources,
  openDamaged: boolean,
): Promise<SearchSpace> {
  const options = { openDamaged };
  const model = await readSearchModel(paths);
  if (model === BUNDLED_MODEL) return openSearchSpace(paths, BUNDLED_MODEL, sources, options);
  const installed = await sources.models.installed(model).catch((error: unknown) => {
    logFailure(`Reading whether ${model} is installed (search opens with the bundled encoder)`, error);
    return false;
  });
  if (installed) return openSearchSpace(paths, model, sources, options);
  return openSearchSpace(paths, BUNDLED_MODEL, sources, options);
}

/** Trained versions of the bundled encoder; the tfjs trainer module loads only when needed. */
const loadTrainedEncoder: LoadVersionEncoder = async (versionDir, version) =>
  (await import('../adapt/train/versionFiles.ts')).loadVersionEncoder(versionDir, version);

/**
 * The trainer of the bundled encoder runs on the heavy-work thread (core/jobs/offThread): tfjs and
 * onnxruntime there never hold up search, status or job listing here.
 */
function lazyTrainer(
  given: EncoderTrainer | undefined,
  cacheDir: string,
  onBackend: (name: string, reason: string) => void,
): () => Promise<EncoderTrainer> {
  let trainer: Promise<EncoderTrainer> | undefined = given && Promise.resolve(given);
  return () =>
    (trainer ??= import('../jobs/offThread/index.ts').then((m) =>
      m.createOffThreadTrainer({ cacheDir, onBackend }),
    ));
}
