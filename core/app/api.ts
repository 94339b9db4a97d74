import path from 'node:path';
import { DriftlessError, type DataPaths, type Emitter } from '../base/index.ts';
import { FeedbackLog } from '../adapt/index.ts';
import type { Encoder } from '../encoder/index.ts';
import { noteFormat, readNoteFile } from '../ingest/index.ts';
import { acquireWriterLock, type JobQueue, type JobSpec } from '../jobs/index.ts';
import { syncFolder, type FolderRegistry, type ImportReports } from '../library/index.ts';
import { searchNotes } from '../search/index.ts';
import type { ApiEvent, DriftlessApi, FolderInfo, ImportReport } from '../service/contract.ts';
import type { FolderRecord, NoteIndex } from '../store/index.ts';
import { resolveNoteFile, type DesktopOpener } from './noteAccess.ts';
import type { SettingsStore } from './settings.ts';

export interface AppParts {
  paths: DataPaths;
  events: Emitter<ApiEvent>;
  jobs: JobQueue;
  folders: FolderRegistry;
  reports: ImportReports;
  settings: SettingsStore;
  index: NoteIndex;
  encoder: () => Promise<Encoder>;
  opener: DesktopOpener;
}

/** The bundled encoder is version v0 until adaptation publishes newer versions. */
const CURRENT_VERSION = 'v0';

/** The one implementation of the API contract; transports only validate and forward to it. */
export function createApi(parts: AppParts): DriftlessApi {
  const feedback = new FeedbackLog(path.join(parts.paths.root, 'feedback.jsonl'));
  const writeJob = <T>(spec: JobSpec<T>) => parts.jobs.enqueue({ ...spec, run: withWriterLock(parts, spec) });
  const queueSync = (folder: FolderRecord) => {
    const waiting = parts.jobs
      .list()
      .find((job) => job.state === 'queued' && job.label === syncLabel(folder));
    return (
      waiting?.id ??
      writeJob({
        kind: 'import',
        label: syncLabel(folder),
        run: (context) => runSync(parts, folder, context),
      }).id
    );
  };

  return {
    status: async () => {
      const stats = await parts.index.stats();
      return {
        dataDir: parts.paths.root,
        folders: parts.folders.list().length,
        notes: stats.notes,
        chunks: stats.chunks,
        currentVersion: CURRENT_VERSION,
        rowsByVersion: await parts.index.countRowsByVersion(),
        indexBytes: stats.bytesOnDisk,
        encoder: { backboneId: 'use-lite', dimensions: 512, runtime: 'onnxruntime-node (cpu)' },
      };
    },
    search: async (args) => {
      const started = performance.now();
      const encoder = await parts.encoder();
      const result = await searchNotes(parts.index, encoder, args);
      return { query: args.query, ...result, tookMs: performance.now() - started };
    },
    getNote: async ({ folderId, notePath }) => {
      const file = await resolveNoteFile(parts.folders, folderId, notePath);
      const read = await readNoteFile(file, { maxBytes: parts.settings.value.maxFileBytes });
      if (!read.ok)
        throw new DriftlessError('UNSUPPORTED', `${notePath} cannot be shown: ${read.skipped.message}`);
      const notes = await parts.index.listNotes(folderId);
      const title = notes.find((note) => note.notePath === notePath)?.title ?? path.basename(notePath);
      return {
        folderId,
        notePath,
        title,
        format: noteFormat(notePath) ?? 'text',
        content: read.content,
        modifiedMs: Math.trunc(read.mtimeMs),
      };
    },
    openNote: async ({ folderId, notePath }) => ({
      opened: await parts.opener.open(await resolveNoteFile(parts.folders, folderId, notePath)),
    }),
    revealNote: async ({ folderId, notePath }) => ({
      revealed: await parts.opener.reveal(await resolveNoteFile(parts.folders, folderId, notePath)),
    }),
    recordFeedback: async (args) => {
      parts.folders.get(args.folderId);
      await feedback.append({ ...args, atMs: Date.now() });
      return { recorded: true };
    },
    listFolders: async () => Promise.all(parts.folders.list().map((folder) => folderInfo(parts, folder))),
    addFolder: async ({ path: root }) => {
      const folder = await parts.folders.add(root);
      parts.events.emit({ type: 'folders-changed' });
      queueSync(folder);
      return folderInfo(parts, folder);
    },
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
      return { jobIds: folders.map(queueSync) };
    },
    getImportReport: async ({ folderId }) => {
      parts.folders.get(folderId);
      return (await parts.reports.get(folderId)) ?? emptyReport(folderId);
    },
    listJobs: async () => parts.jobs.list(),
    pauseJob: async ({ jobId }) => parts.jobs.pause(jobId),
    resumeJob: async ({ jobId }) => parts.jobs.resume(jobId),
    cancelJob: async ({ jobId }) => parts.jobs.cancel(jobId),
    startAdaptation: async () => {
      throw new DriftlessError(
        'UNSUPPORTED',
        'Encoder adaptation is not part of this build yet; search uses the bundled encoder (v0).',
      );
    },
    listVersions: async () => {
      const rows = await parts.index.countRowsByVersion();
      return [
        {
          version: CURRENT_VERSION,
          createdMs: 0,
          current: true,
          rows: rows[CURRENT_VERSION] ?? 0,
          note: 'Bundled pretrained encoder',
        },
      ];
    },
    rollback: async ({ version }) => {
      if (version !== CURRENT_VERSION)
        throw new DriftlessError('NOT_FOUND', `No encoder version ${version}.`);
      return { current: CURRENT_VERSION };
    },
    getSettings: async () => parts.settings.value,
    updateSettings: async ({ settings }) => parts.settings.update(settings),
  };
}

function syncLabel(folder: FolderRecord): string {
  return `Import ${folder.root}`;
}

async function runSync(
  parts: AppParts,
  folder: FolderRecord,
  context: Parameters<JobSpec['run']>[0],
): Promise<ImportReport> {
  const { ignore, maxFileBytes } = parts.settings.value;
  const report = await syncFolder(
    folder,
    { index: parts.index, encoder: parts.encoder },
    { ignore, maxFileBytes },
    context,
  );
  await parts.reports.save(report);
  parts.events.emit({ type: 'index-changed', folderId: folder.id });
  return report;
}

async function dropFolderNotes(parts: AppParts, folderId: string): Promise<void> {
  const notes = await parts.index.listNotes(folderId);
  await parts.index.removeNotes(notes.map((note) => ({ folderId, notePath: note.notePath })));
  parts.events.emit({ type: 'index-changed', folderId });
}

function withWriterLock<T>(parts: AppParts, spec: JobSpec<T>): JobSpec<T>['run'] {
  return async (context) => {
    const lock = await acquireWriterLock(parts.paths.lock, spec.label);
    try {
      return await spec.run(context);
    } finally {
      await lock.release();
    }
  };
}

async function folderInfo(parts: AppParts, folder: FolderRecord): Promise<FolderInfo> {
  const [notes, report] = await Promise.all([parts.index.listNotes(folder.id), parts.reports.get(folder.id)]);
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
  return { folderId, added: 0, updated: 0, removed: 0, unchanged: 0, renamed: 0, skipped: [] };
}
