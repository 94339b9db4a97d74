/**
 * A small, real, in-memory Driftless app for transport and CLI tests: it reads real note files from
 * disk, runs import jobs step by step with progress events and cancellation, and answers searches by
 * plain term matching. It is not the product's App (core/app) and is never exported from index.ts.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { DriftlessError, Emitter } from '../../base/index.ts';
import { suggestFolders } from '../../library/folderPaths.ts';
import type { App } from '../../app/types.ts';
import type {
  ApiArgs,
  ApiEvent,
  DriftlessApi,
  FolderInfo,
  ImportReport,
  JobInfo,
  SearchHit,
  Settings,
} from '../contract.ts';
import { DEFAULT_SETTINGS } from '../contract.ts';

interface MemoryNote {
  title: string;
  content: string;
  modifiedMs: number;
  tags: string[];
}

interface MemoryFolder {
  id: string;
  root: string;
  notes: Map<string, MemoryNote>;
  lastSyncMs?: number;
  report?: ImportReport;
}

interface RunningJob {
  info: JobInfo;
  cancelled: boolean;
  done: Promise<void>;
}

export interface MemoryAppOptions {
  dataDir?: string;
  /** Delay between imported files, so tests can interrupt an import halfway. */
  stepDelayMs?: number;
}

/** Opens an in-memory app; see the module comment. */
export function createMemoryApp(options: MemoryAppOptions = {}): App & { closed: boolean } {
  return new MemoryApp(options);
}

class MemoryApp implements App {
  readonly events = new Emitter<ApiEvent>();
  readonly dataDir: string;
  readonly api: DriftlessApi;
  closed = false;
  readonly #folders = new Map<string, MemoryFolder>();
  readonly #jobs = new Map<string, RunningJob>();
  readonly #stepDelayMs: number;
  #settings: Settings = structuredClone(DEFAULT_SETTINGS);
  #nextId = 1;

  constructor(options: MemoryAppOptions) {
    this.dataDir = options.dataDir ?? '/memory';
    this.#stepDelayMs = options.stepDelayMs ?? 0;
    this.api = this.#buildApi();
  }

  async idle(): Promise<void> {
    await Promise.all([...this.#jobs.values()].map((job) => job.done));
  }

  async close(): Promise<void> {
    for (const job of this.#jobs.values()) job.cancelled = true;
    await this.idle();
    this.closed = true;
  }

  #buildApi(): DriftlessApi {
    return {
      status: async () => this.#status(),
      search: async (args) => this.#search(args),
      getNote: async ({ folderId, notePath }) => {
        const note = this.#note(folderId, notePath);
        return {
          folderId,
          notePath,
          title: note.title,
          format: 'markdown',
          content: note.content,
          modifiedMs: note.modifiedMs,
        };
      },
      openNote: async ({ folderId, notePath }) => {
        this.#note(folderId, notePath);
        return { opened: false, path: path.join(this.#folder(folderId).root, notePath), opener: 'none' };
      },
      revealNote: async ({ folderId, notePath }) => (this.#note(folderId, notePath), { revealed: false }),
      recordFeedback: async () => ({ recorded: true }),
      listMarks: async () => [],
      clearMark: async () => ({ cleared: false }),
      listFolders: async () => [...this.#folders.values()].map((folder) => folderInfo(folder)),
      addFolder: async ({ path: root }) => this.#addFolder(root),
      suggestFolders: async ({ typed }) => suggestFolders(typed),
      removeFolder: async ({ folderId }) => {
        this.#folder(folderId);
        this.#folders.delete(folderId);
        this.events.emit({ type: 'folders-changed' });
        return { removed: true };
      },
      syncFolders: async ({ folderId }) => {
        const folders = folderId ? [this.#folder(folderId)] : [...this.#folders.values()];
        return { jobIds: folders.map((folder) => this.#startImport(folder)) };
      },
      repairIndex: async () => unsupported('Repairing the index'),
      getImportReport: async ({ folderId }) => {
        const report = this.#folder(folderId).report;
        if (!report) throw new DriftlessError('NOT_FOUND', 'This folder has not been imported yet.');
        return report;
      },
      listJobs: async () => [...this.#jobs.values()].map((job) => ({ ...job.info })),
      pauseJob: async () => unsupported('Pausing jobs'),
      resumeJob: async () => unsupported('Resuming jobs'),
      cancelJob: async ({ jobId }) => {
        const job = this.#jobs.get(jobId);
        if (!job) throw new DriftlessError('NOT_FOUND', `No job ${jobId}.`);
        job.cancelled = true;
        return { ...job.info };
      },
      startAdaptation: async () => unsupported('Adaptation'),
      listVersions: async () => [{ version: 'v0', createdMs: 0, current: true, rows: this.#chunkCount() }],
      rollback: async ({ version }) => {
        if (version !== 'v0') throw new DriftlessError('NOT_FOUND', `No version ${version}.`);
        return { current: 'v0' };
      },
      getSettings: async () => structuredClone(this.#settings),
      updateSettings: async ({ settings }) => {
        this.#settings = { ...this.#settings, ...settings };
        return structuredClone(this.#settings);
      },
      listModels: async () => [],
      downloadModel: async () => unsupported('Model downloads'),
      importModel: async () => unsupported('Model imports'),
      removeModel: async () => unsupported('Removing models'),
      useModel: async () => unsupported('Switching the search model'),
    };
  }

  #status() {
    const chunks = this.#chunkCount();
    return {
      dataDir: this.dataDir,
      folders: this.#folders.size,
      notes: chunks,
      chunks,
      currentVersion: 'v0',
      rowsByVersion: { v0: chunks },
      indexBytes: 0,
      encoder: { backboneId: 'memory', dimensions: 0, runtime: 'none' },
    };
  }

  #chunkCount(): number {
    return [...this.#folders.values()].reduce((sum, folder) => sum + folder.notes.size, 0);
  }

  async #addFolder(root: string): Promise<FolderInfo> {
    const resolved = path.resolve(root);
    const stat = await fs.stat(resolved).catch(() => undefined);
    if (!stat?.isDirectory()) throw new DriftlessError('NOT_FOUND', `No folder at ${resolved}.`);
    if ([...this.#folders.values()].some((folder) => folder.root === resolved)) {
      throw new DriftlessError('ALREADY_EXISTS', `${resolved} is already added.`);
    }
    const folder: MemoryFolder = { id: `folder-${this.#nextId++}`, root: resolved, notes: new Map() };
    this.#folders.set(folder.id, folder);
    this.events.emit({ type: 'folders-changed' });
    this.#startImport(folder);
    return folderInfo(folder);
  }

  #startImport(folder: MemoryFolder): string {
    const info: JobInfo = {
      id: `job-${this.#nextId++}`,
      kind: 'import',
      state: 'queued',
      label: `Import ${folder.root}`,
      done: 0,
    };
    const job: RunningJob = { info, cancelled: false, done: Promise.resolve() };
    job.done = this.#runImport(job, folder);
    this.#jobs.set(info.id, job);
    return info.id;
  }

  async #runImport(job: RunningJob, folder: MemoryFolder): Promise<void> {
    await Promise.resolve();
    const update = (patch: Partial<JobInfo>) => {
      Object.assign(job.info, patch);
      this.events.emit({ type: 'job', job: { ...job.info } });
    };
    update({ state: 'running', phase: 'scan', startedMs: Date.now() });
    try {
      const files = (await fs.readdir(folder.root, { recursive: true }))
        .filter((file) => /\.(md|txt)$/.test(file))
        .sort();
      update({ phase: 'embed', total: files.length });
      for (const [index, file] of files.entries()) {
        await new Promise((resolve) => setTimeout(resolve, this.#stepDelayMs));
        if (job.cancelled) return update({ state: 'cancelled', finishedMs: Date.now() });
        folder.notes.set(file.split(path.sep).join('/'), await readNote(path.join(folder.root, file)));
        update({ done: index + 1, etaSeconds: (files.length - index - 1) * (this.#stepDelayMs / 1000) });
      }
      folder.lastSyncMs = Date.now();
      folder.report = {
        folderId: folder.id,
        finishedMs: Date.now(),
        added: files.length,
        updated: 0,
        removed: 0,
        unchanged: 0,
        renamed: 0,
        skipped: [],
        truncated: [],
      };
      update({ state: 'finished', finishedMs: Date.now() });
      this.events.emit({ type: 'index-changed', folderId: folder.id });
    } catch (error) {
      update({ state: 'failed', error: DriftlessError.from(error).message, finishedMs: Date.now() });
    }
  }

  #search({ query, limit = 10, filters }: ApiArgs<'search'>) {
    const terms = query.toLowerCase().split(/\W+/).filter(Boolean);
    const matchPath = filters?.pathGlob ? picomatch(filters.pathGlob) : () => true;
    const hits: SearchHit[] = [];
    for (const folder of this.#folders.values()) {
      if (filters?.folderIds && !filters.folderIds.includes(folder.id)) continue;
      for (const [notePath, note] of folder.notes) {
        if (!matchPath(notePath)) continue;
        if (filters?.tags && !filters.tags.every((tag) => note.tags.includes(tag))) continue;
        if (filters?.modifiedAfterMs !== undefined && note.modifiedMs < filters.modifiedAfterMs) continue;
        if (filters?.modifiedBeforeMs !== undefined && note.modifiedMs > filters.modifiedBeforeMs) continue;
        const hit = matchNote(folder.id, notePath, note, terms);
        if (hit) hits.push(hit);
      }
    }
    hits.sort((a, b) => b.score - a.score || a.notePath.localeCompare(b.notePath));
    return {
      query,
      hits: hits.slice(0, limit),
      related: [],
      understood: [],
      tookMs: 0,
      versionsSearched: ['v0'],
    };
  }

  #folder(folderId: string): MemoryFolder {
    const folder = this.#folders.get(folderId);
    if (!folder) throw new DriftlessError('NOT_FOUND', `No folder ${folderId}.`);
    return folder;
  }

  #note(folderId: string, notePath: string): MemoryNote {
    const note = this.#folder(folderId).notes.get(notePath);
    if (!note) throw new DriftlessError('NOT_FOUND', `No note ${notePath}.`);
    return note;
  }
}

function unsupported(what: string): never {
  throw new DriftlessError('UNSUPPORTED', `${what} is not available in the memory app.`);
}

function folderInfo(folder: MemoryFolder): FolderInfo {
  const notes = folder.notes.size;
  return {
    id: folder.id,
    root: folder.root,
    notes,
    chunks: notes,
    skipped: 0,
    ...(folder.lastSyncMs ? { lastSyncMs: folder.lastSyncMs } : {}),
  };
}

async function readNote(file: string): Promise<MemoryNote> {
  const [content, stat] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
  const title = /^#\s+(.+)$/m.exec(content)?.[1] ?? path.basename(file, path.extname(file));
  const tags = [...content.matchAll(/(?:^|\s)#([a-z][\w-]*)/g)].map((match) => match[1] ?? '');
  return { title, content, modifiedMs: Math.round(stat.mtimeMs), tags };
}

function matchNote(
  folderId: string,
  notePath: string,
  note: MemoryNote,
  terms: string[],
): SearchHit | undefined {
  const lower = note.content.toLowerCase();
  const score = terms.reduce((sum, term) => sum + lower.split(term).length - 1, 0);
  if (score === 0) return undefined;
  const first = Math.min(...terms.map((term) => lower.indexOf(term)).filter((at) => at >= 0));
  const start = Math.max(0, first - 20);
  const snippet = note.content.slice(start, start + 120);
  const highlights: Array<[number, number]> = [];
  for (const term of terms) {
    for (
      let at = snippet.toLowerCase().indexOf(term);
      at >= 0;
      at = snippet.toLowerCase().indexOf(term, at + 1)
    ) {
      highlights.push([at, at + term.length]);
    }
  }
  highlights.sort((a, b) => a[0] - b[0]);
  const heading = /^##\s+(.+)$/m.exec(note.content)?.[1];
  return {
    folderId,
    notePath,
    title: note.title,
    headingPath: heading ? [heading] : [],
    snippet,
    highlights,
    score,
    chunkId: `${folderId}/${notePath}#0`,
    start,
    end: start + snippet.length,
    modifiedMs: note.modifiedMs,
    tags: note.tags,
    encoderVersion: 'v0',
    moreChunks: 0,
  };
}
