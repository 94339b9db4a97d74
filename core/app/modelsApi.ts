import path from 'node:path';
import { DriftlessError, type ProgressListener } from '../base/index.ts';
import { DEFAULT_BASE_URL, ModelManager, type ModelEntry, type ModelListing } from '../models/index.ts';
import type { ApiResults, DriftlessApi, ModelInfo } from '../service/contract.ts';
import { DownloadJobs } from './downloadJobs.ts';

/** The models folder, its catalogue and the downloads in flight. */
export interface ModelsPart {
  manager: ModelManager;
  baseUrl: string;
  downloads: DownloadJobs;
  /** Re-hash results per model, keyed by install time, so listing hashes each install only once. */
  verified: Map<string, { installedAt: string; ok: Promise<boolean> }>;
}

/** Opens `<dataDir>/models/` with the bundled catalogue; downloads come from `baseUrl` (default Hugging Face). */
export async function openModels(modelsDir: string, baseUrl = DEFAULT_BASE_URL): Promise<ModelsPart> {
  return {
    manager: await ModelManager.create({ modelsDir }),
    baseUrl,
    downloads: new DownloadJobs(),
    verified: new Map(),
  };
}

type ModelsApi = Pick<DriftlessApi, 'listModels' | 'downloadModel' | 'importModel' | 'removeModel'>;

/**
 * The model methods of the API: catalogue listing, background downloads, imports and removal.
 * `searchModel` names the model search uses now, which cannot be removed.
 */
export function modelsApi(models: ModelsPart, searchModel: () => string): ModelsApi {
  const info = (listing: ModelListing) => modelInfo(models, listing, searchModel());
  return {
    listModels: async () => Promise.all((await models.manager.list()).map(info)),
    downloadModel: async ({ id }) => ({ jobId: startDownload(models, models.manager.entry(id)) }),
    importModel: async ({ id, path: folder }) => {
      models.manager.entry(id);
      if (!path.isAbsolute(folder))
        throw new DriftlessError('INVALID_ARGUMENT', 'The folder to import from must be an absolute path.');
      const record = await models.manager.importFromFolder(id, folder);
      models.verified.set(id, { installedAt: record.installedAt, ok: Promise.resolve(true) });
      return infoOf(models, id, searchModel());
    },
    removeModel: async ({ id }): Promise<ApiResults['removeModel']> => {
      if (id === searchModel())
        throw new DriftlessError(
          'CONFLICT',
          'Search uses this model: switch to another model or the bundled encoder first.',
          { id },
        );
      const wasInstalled = (await models.manager.installed(id)) !== null;
      await models.manager.remove(id);
      models.verified.delete(id);
      return { removed: wasInstalled };
    },
  };
}

/** Queues a download job, or answers with the one already running for this model. */
function startDownload(models: ModelsPart, entry: ModelEntry): string {
  const label = `Download ${entry.name}`;
  const active = models.downloads
    .list()
    .find((job) => job.label === label && ['queued', 'running', 'paused'].includes(job.state));
  if (active) return active.id;
  return models.downloads.enqueue({
    kind: 'download',
    label,
    run: async ({ signal, report }) => {
      const record = await models.manager.download(entry.id, {
        baseUrl: models.baseUrl,
        signal,
        onProgress: bytesAcrossFiles(entry, report),
      });
      models.verified.set(entry.id, { installedAt: record.installedAt, ok: Promise.resolve(true) });
      return record;
    },
  }).id;
}

/**
 * Turns per-file byte progress into one count for the whole model. Where the catalogue does not
 * know every size, the total is what is known so far (files done plus the current file's length).
 */
function bytesAcrossFiles(entry: ModelEntry, report: ProgressListener): ProgressListener {
  const known = catalogueSize(entry);
  const finished = new Map<string, number>();
  let current = '';
  let currentDone = 0;
  return (progress) => {
    const file = progress.detail ?? '';
    if (file !== current && current) finished.set(current, currentDone);
    current = file;
    currentDone = progress.done;
    const before = [...finished.values()].reduce((sum, bytes) => sum + bytes, 0);
    const total = known ?? (progress.total === undefined ? undefined : before + progress.total);
    const index = entry.files.findIndex((f) => f.path === file) + 1;
    report({
      phase: `${file} (${index}/${entry.files.length})`,
      done: before + progress.done,
      ...(total === undefined ? {} : { total }),
    });
  };
}

function catalogueSize(entry: ModelEntry): number | undefined {
  if (entry.files.some((file) => file.size === null)) return undefined;
  return entry.files.reduce((sum, file) => sum + (file.size ?? 0), 0);
}

async function infoOf(models: ModelsPart, id: string, searchModel: string): Promise<ModelInfo> {
  const listing = (await models.manager.list()).find((l) => l.entry.id === id);
  if (!listing) throw new DriftlessError('NOT_FOUND', `Unknown model "${id}".`, { id });
  return modelInfo(models, listing, searchModel);
}

async function modelInfo(
  models: ModelsPart,
  { entry, installed }: ModelListing,
  searchModel: string,
): Promise<ModelInfo> {
  const sizeBytes =
    catalogueSize(entry) ?? installed?.files.reduce((sum, file) => sum + file.size, 0) ?? undefined;
  const info: ModelInfo = {
    id: entry.id,
    name: entry.name,
    dimensions: entry.dimensions,
    maxTokens: entry.maxTokens,
    pooling: entry.pooling,
    licence: entry.licence,
    ...(sizeBytes === undefined ? {} : { sizeBytes }),
    installed: installed !== null,
    usedForSearch: entry.id === searchModel,
  };
  if (!installed) return info;
  return {
    ...info,
    installedRevision: installed.revision,
    verified: await verifiedOnce(models, entry.id, installed.installedAt),
  };
}

function verifiedOnce(models: ModelsPart, id: string, installedAt: string): Promise<boolean> {
  const cached = models.verified.get(id);
  if (cached?.installedAt === installedAt) return cached.ok;
  const ok = models.manager.verify(id).then(
    () => true,
    () => false,
  );
  models.verified.set(id, { installedAt, ok });
  return ok;
}
