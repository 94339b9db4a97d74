import path from 'node:path';
import { DriftlessError, sideFileRepairs } from '../base/index.ts';
import { runtimeLabel } from '../encoder/executionProviders.ts';
import { noteFormat, readNoteFile } from '../ingest/index.ts';
import { waitForLock, type JobSpec } from '../jobs/index.ts';
import { suggestFolders, syncFolder } from '../library/index.ts';
import { MeasuredFloors, searchNotes } from '../search/index.ts';
import type { DriftlessApi, FolderInfo, ImportReport, Settings, StatusInfo } from '../service/contract.ts';
import type { FolderRecord } from '../store/index.ts';
import { versionsApi } from './adaptationApi.ts';
import { folderResolver } from './folderRefs.ts';
import { indexCounts } from './indexHealth.ts';
import { repairApi } from './indexRepair.ts';
import { modelsApi } from './modelsApi.ts';
import { resolveNoteFile, resolveOpenableNote } from './noteAccess.ts';
import { noteExcerpt } from './noteExcerpt.ts';
import type { AppParts, WriteJob } from './parts.ts';
import { startModelSwitch } from './searchModelApi.ts';
import { spaceIndexDir, type SearchSpace } from './searchSpace.ts';

/** Queues a job that holds the data folder's writer lock while it runs. */
export function writeJobFor(parts: AppParts): WriteJob {
  return (spec) => parts.jobs.enqueue({ ...spec, run: withWriterLock(parts, spec) });
}

/** The one implementation of the API contract; transports only validate and forward to it. */
export function createApi(parts: AppParts): DriftlessApi {
  const writeJob = writeJobFor(parts);
  // Measured on the user's own notes, so nonsense finds nothing and loose matches show apart; kept
  // in the index's folder for the next process, a write that closing waits for like a search.
  const floors = new MeasuredFloors({ trackWrite: (write) => void parts.searches.run(() => write) });
  const queueSync = (folder: FolderRecord, rereadAll = false) => {
    const label = rereadAll ? `${syncLabel(folder)} (new size limits)` : syncLabel(folder);
    const waiting = parts.jobs.list().find((job) => job.state === 'queued' && job.label === label);
    return (
      waiting?.id ??
      writeJob({
        kind: 'import',
        label,
        folderId: folder.id,
        run: (context) => runSync(parts, folder, context, rereadAll),
      }).id
    );
  };

  syncOnNewRules(parts, queueSync);

  return {
    status: async () => {
      const space = parts.searchSpace.get();
      const counts = await indexCounts(async () => {
        const stats = await space.index.stats();
        return {
          notes: stats.notes,
          chunks: stats.chunks,
          rowsByVersion: await space.index.countRowsByVersion(),
          indexBytes: stats.bytesOnDisk,
          ...(await versionProblemsOf(space)),
        };
      }, parts.indexSetAside.get());
      return {
        dataDir: parts.paths.root,
        folders: parts.folders.list().length,
        currentVersion: space.versions.current.version,
        encoder: encoderStatus(space),
        ...trainingBackendOf(parts, space),
        ...(sideFileRepairs().length > 0 ? { repairs: [...sideFileRepairs()] } : {}),
        ...counts,
      };
    },
    search: (args) =>
      parts.searches.run(async () => {
        const started = performance.now();
        // One space from start to end, even if a model switch replaces it meanwhile.
        const space = parts.searchSpace.get();
        const encoder = await space.encoders.current();
        const relevanceFloors = await floors.floorsFor(
          space.index,
          encoder,
          spaceIndexDir(parts.paths, space.model),
        );
        const result = await searchNotes(space.index, encoder, args, {
          querySyntax: 'full',
          ...(relevanceFloors === undefined ? {} : { relevanceFloors }),
          resolveFolder: folderResolver(parts.folders.list()),
          marks: parts.marks,
          vectorsByVersion: space.space.vectorsByVersion,
          versionMerge: space.space.versionMerge,
          ...parts.fusion.searchOptions(space.model),
        });
        parts.retrievals.record(result.hits.slice(0, 10).map((hit) => `${hit.folderId}/${hit.notePath}`));
        return { query: args.query, ...result, tookMs: performance.now() - started };
      }),
    getNote: async ({ folderId, notePath, around }) => {
      const file = await resolveNoteFile(parts.folders, folderId, notePath);
      // The format is the requested name's: a link `note.md` may resolve to a file named otherwise.
      const read = await readNoteFile(file, {
        maxBytes: (await parts.settings.current()).maxFileBytes,
        formatPath: notePath,
      });
      if (!read.ok)
        throw new DriftlessError('UNSUPPORTED', `${notePath} cannot be shown: ${read.skipped.message}`);
      // One notes row, not the folder's list: a preview of a note in a folder of 50,000 read them all.
      const index = parts.searchSpace.get().index;
      const title = (await index.getNote({ folderId, notePath }))?.title ?? path.basename(notePath);
      return {
        folderId,
        notePath,
        title,
        format: noteFormat(notePath) ?? 'text',
        ...noteExcerpt(read.content, around),
        modifiedMs: Math.trunc(read.mtimeMs),
      };
    },
    openNote: async ({ folderId, notePath }) => {
      const file = await resolveOpenableNote(
        parts.folders,
        parts.searchSpace.get().index,
        folderId,
        notePath,
      );
      // The path and the opener let the window say where the note went, or offer the path to copy.
      return {
        opened: await parts.opener.open(file),
        path: file,
        opener: parts.opener.name ?? 'the desktop',
      };
    },
    revealNote: async ({ folderId, notePath }) => ({
      revealed: await parts.opener.reveal(
        await resolveOpenableNote(parts.folders, parts.searchSpace.get().index, folderId, notePath),
      ),
    }),
    recordFeedback: async (args) => {
      parts.folders.get(args.folderId);
      const atMs = Date.now();
      await parts.feedback.append({ ...args, atMs });
      // A pin or hide is also state the user sees: it ranks every later search, until undone.
      if (args.kind === 'pin' || args.kind === 'hide')
        await parts.marks.set({ folderId: args.folderId, notePath: args.notePath, kind: args.kind, atMs });
      parts.activity.emit();
      return { recorded: true };
    },
    listMarks: async () => parts.marks.list(),
    clearMark: async (note) => ({ cleared: (await parts.marks.clear(note)) !== undefined }),
    listFolders: async () => Promise.all(parts.folders.list().map((folder) => folderInfo(parts, folder))),
    addFolder: async ({ path: root }) => {
      const folder = await parts.folders.add(root);
      parts.events.emit({ type: 'folders-changed' });
      queueSync(folder);
      return folderInfo(parts, folder);
    },
    suggestFolders: async ({ typed }) => suggestFolders(typed),
    removeFolder: async ({ folderId }) => {
      const folder = await parts.folders.remove(folderId);
      parts.events.emit({ type: 'folders-changed' });
      const job = writeJob({
        kind: 'import',
        label: `Remove ${folder.root}`,
        run: () => dropFolderNotes(parts, folder.id),
      });
      await job.result;
      return { removed: true };
    },
    syncFolders: async ({ folderId }) => {
      const folders = folderId ? [parts.folders.get(folderId)] : parts.folders.list();
      return { jobIds: folders.map((folder) => queueSync(folder)) };
    },
    getImportReport: async ({ folderId }) => {
      parts.folders.get(folderId);
      return (await parts.reports.get(folderId)) ?? emptyReport(folderId);
    },
    listJobs: async () => [...parts.jobs.list(), ...parts.models.downloads.list()],
    pauseJob: async ({ jobId }) => queueOf(parts, jobId).pause(jobId),
    resumeJob: async ({ jobId }) => queueOf(parts, jobId).resume(jobId),
    cancelJob: async ({ jobId }) => queueOf(parts, jobId).cancel(jobId),
    ...repairApi(parts, writeJob, () => parts.folders.list().map((folder) => queueSync(folder))),
    ...versionsApi(parts, writeJob),
    // Read again when another process changed settings.json since (a stat tells).
    getSettings: async () => parts.settings.current(),
    updateSettings: async ({ settings }) => parts.settings.update(settings),
    ...modelsApi(parts.models, () => parts.searchSpace.get().model),
    useModel: async ({ id }) => ({ jobId: (await startModelSwitch(parts, writeJob, id)).id }),
  };
}

/**
 * New rules change what the index holds, whoever saved them (a save here, or `driftless settings
 * set` while this app runs, whose own sync ends when that command exits): new ignore rules need a
 * sync of every folder, and new size limits one that reads every file again, since unchanged files
 * are not read again on a sync.
 */
function syncOnNewRules(
  parts: AppParts,
  queueSync: (folder: FolderRecord, rereadAll: boolean) => void,
): void {
  const limitsOf = (settings: Settings) => `${settings.maxIndexedChars}:${settings.maxFileBytes}`;
  let held = parts.settings.value;
  parts.settings.changes.on((settings) => {
    const rereadAll = limitsOf(settings) !== limitsOf(held);
    const rescan = JSON.stringify(settings.ignore) !== JSON.stringify(held.ignore);
    held = settings;
    if (rereadAll || rescan) for (const folder of parts.folders.list()) queueSync(folder, rereadAll);
  });
}

/** Downloads run in their own queue; every other job runs in the index's. */
function queueOf(parts: AppParts, jobId: string) {
  return parts.models.downloads.owns(jobId) ? parts.models.downloads : parts.jobs;
}

function syncLabel(folder: FolderRecord): string {
  return `Import ${folder.root}`;
}

async function runSync(
  parts: AppParts,
  folder: FolderRecord,
  context: Parameters<JobSpec['run']>[0],
  rereadAll: boolean,
): Promise<ImportReport> {
  const { ignore, maxFileBytes, maxIndexedChars } = await parts.settings.current();
  const truncatedBefore = (await parts.reports.get(folder.id))?.truncated;
  await parts.reports.markStarted(folder.id);
  const { index, versions } = parts.searchSpace.get();
  const report = await syncFolder(
    folder,
    { index, encoder: () => parts.jobEncoders.get(versions.current.version) },
    { ignore, maxFileBytes, maxIndexedChars, rereadAll, ...(truncatedBefore ? { truncatedBefore } : {}) },
    context,
  );
  // Compaction, index folding and (for a large table) the ANN index keep search fast after imports.
  if (report.added + report.updated + report.removed + report.renamed > 0) await index.optimize();
  await parts.reports.save(report);
  parts.newNotes.add(versions.current.version, report.added + report.updated);
  parts.events.emit({ type: 'index-changed', folderId: folder.id });
  parts.activity.emit();
  return report;
}

async function dropFolderNotes(parts: AppParts, folderId: string): Promise<void> {
  const { index } = parts.searchSpace.get();
  const notes = await index.listNotes(folderId);
  await index.removeNotes(notes.map((note) => ({ folderId, notePath: note.notePath })));
  parts.events.emit({ type: 'index-changed', folderId });
}

/**
 * Runs a job under the data folder's writer lock. While another process writes (the command line
 * while the app imports, or two `driftless add` at once), the job waits its turn in phase
 * 'waiting', its detail naming the holder (pid, command, job, since when), rather than failing: a
 * folder added meanwhile is then still imported. Cancelling stops the wait; with
 * `parts.writerLock.waitMs` (the command line) it fails with LOCKED once that has passed, so a
 * holder stuck in a job that never ends cannot keep it waiting for good.
 */
function withWriterLock<T>(parts: AppParts, spec: JobSpec<T>): JobSpec<T>['run'] {
  return async (context) => {
    const lock = await waitForLock(parts.paths.lock, spec.label, {
      ...parts.writerLock,
      signal: context.signal,
      onWait: (holder) => context.report({ phase: 'waiting', done: 0, detail: holder }),
    });
    // A holder that stalled past the lock's bound may have lost it to another process (a computer
    // sharing the data folder): it stops at its next checkpoint instead of writing beside the new one.
    const checkpoint = async () => {
      if (lock.lost)
        throw new DriftlessError(
          'LOCKED',
          `${spec.label} stopped: this process did not respond for too long and another one took over writing to the data folder. Run it again.`,
        );
      await context.checkpoint();
    };
    try {
      return await spec.run({ ...context, checkpoint });
    } finally {
      await lock.release();
    }
  };
}

async function folderInfo(parts: AppParts, folder: FolderRecord): Promise<FolderInfo> {
  const [notes, report] = await Promise.all([
    parts.searchSpace.get().index.listNotes(folder.id),
    parts.reports.get(folder.id),
  ]);
  return {
    id: folder.id,
    root: folder.root,
    notes: notes.length,
    chunks: notes.reduce((sum, note) => sum + note.chunkCount, 0),
    skipped: report?.skipped.length ?? 0,
    ...(report?.finishedMs ? { lastSyncMs: report.finishedMs } : {}),
  };
}

function emptyReport(folderId: string): ImportReport {
  return { folderId, added: 0, updated: 0, removed: 0, unchanged: 0, renamed: 0, skipped: [], truncated: [] };
}

/** Refused map files and unreachable rows of older versions, so damage is never silent. */
async function versionProblemsOf(space: SearchSpace): Promise<Pick<StatusInfo, 'versionProblems'>> {
  const problems = await space.space.problems(space.versions.current.version, space.dimensions);
  return problems.length > 0 ? { versionProblems: problems } : {};
}

/**
 * The encoder search uses, with the onnxruntime execution provider it actually runs on and why.
 * Status never waits for a load: before the first search the provider is not known yet.
 */
function encoderStatus(space: SearchSpace): StatusInfo['encoder'] {
  const runtime = space.encoders.loaded(space.versions.current.version)?.runtime;
  return {
    backboneId: space.versions.current.backboneId,
    dimensions: space.dimensions,
    runtime: runtime ? runtimeLabel(runtime) : 'onnxruntime-node',
    runtimeReason: runtime?.reason ?? 'the execution provider is chosen when the encoder first loads',
  };
}

/**
 * The training backend (webgpu, tfjs-node-gpu, tfjs-node, wasm or cpu) and why: the one a run in
 * this process started on, reported as soon as it started, else the one the newest trained version
 * recorded.
 */
function trainingBackendOf(
  parts: AppParts,
  space: SearchSpace,
): Pick<StatusInfo, 'trainingBackend' | 'trainingBackendReason'> {
  const started = parts.trainingBackend.get();
  if (started)
    return {
      trainingBackend: started.name,
      ...(started.reason ? { trainingBackendReason: started.reason } : {}),
    };
  const training = space.versions
    .list()
    .map((manifest) => manifest.training)
    .findLast((value) => typeof value?.backend === 'string');
  if (typeof training?.backend !== 'string') return {};
  const reason = training.backendReason;
  return {
    trainingBackend: training.backend,
    ...(typeof reason === 'string' ? { trainingBackendReason: reason } : {}),
  };
}
