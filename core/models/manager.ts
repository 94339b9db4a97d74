import fs from 'node:fs/promises';
import path from 'node:path';
import { DriftlessError, throwIfAborted } from '../base/index.ts';
import type { ProgressListener } from '../base/index.ts';
import { loadCatalogue } from './catalogue.ts';
import type { ModelCatalogue, ModelEntry, ModelFile } from './catalogue.ts';
import { downloadFile, verifyFile } from './download.ts';
import type { FileDigest } from './download.ts';
import { installedRecord, readInstalledRecord, verifyInstalled, writeInstalledRecord } from './installed.ts';
import { locateFiles } from './localFiles.ts';
import type { InstalledRecord } from './installed.ts';
import { OnnxSentenceEncoder } from './onnxEncoder.ts';
import type { OnnxEncoderOptions } from './onnxEncoder.ts';

export const DEFAULT_BASE_URL = 'https://huggingface.co';

export interface ModelListing {
  entry: ModelEntry;
  /** Null when the model is not installed. */
  installed: InstalledRecord | null;
  /** Where the model lives (or will live) on disk. */
  dir: string;
}

export interface DownloadOptions {
  /** Mirror or test server; the default is Hugging Face. */
  baseUrl?: string;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export interface ImportOptions {
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

/**
 * The catalogue of sentence-transformer models and their installs under `models/<id>/`.
 * Installs are staged in `models/.staging/` and renamed into place only when every file is verified.
 *
 * @example
 * const models = await ModelManager.create({ modelsDir: dataPaths(dir).models });
 * await models.download('bge-small-en-v1.5', { onProgress: (p) => console.log(p.done, p.total) });
 * const encoder = await models.openEncoder('bge-small-en-v1.5', { version: 'v0' });
 */
export class ModelManager {
  readonly #busy = new Set<string>();
  /** The install (its `installedAt`) of each model whose files `openEncoder` has checked. */
  readonly #verifiedInstalls = new Map<string, string>();

  constructor(
    readonly modelsDir: string,
    readonly catalogue: ModelCatalogue,
  ) {}

  /** Loads the catalogue (default: the bundled `resources/models.json`). */
  static async create(options: {
    modelsDir: string;
    cataloguePath?: string;
    catalogue?: ModelCatalogue;
  }): Promise<ModelManager> {
    const catalogue = options.catalogue ?? (await loadCatalogue(options.cataloguePath));
    return new ModelManager(options.modelsDir, catalogue);
  }

  /** Every catalogue model with its install state. */
  async list(): Promise<ModelListing[]> {
    return Promise.all(
      this.catalogue.models.map(async (entry) => ({
        entry,
        dir: this.modelDir(entry.id),
        installed: await readInstalledRecord(this.modelDir(entry.id)),
      })),
    );
  }

  /** @throws DriftlessError NOT_FOUND for an id that is not in the catalogue. */
  entry(id: string): ModelEntry {
    const entry = this.catalogue.models.find((m) => m.id === id);
    if (!entry)
      throw new DriftlessError(
        'NOT_FOUND',
        `Unknown model "${id}". Known: ${this.catalogue.models.map((m) => m.id).join(', ')}.`,
        { id },
      );
    return entry;
  }

  modelDir(id: string): string {
    return path.join(this.modelsDir, id);
  }

  /** The install record, or null when not installed. */
  async installed(id: string): Promise<InstalledRecord | null> {
    return readInstalledRecord(this.modelDir(this.entry(id).id));
  }

  /**
   * Downloads every file of a model, resuming partial files, verifying sizes and hashes.
   * Returns at once when the model is already installed.
   * @throws DriftlessError OFFLINE, CANCELLED (partial files kept for resume), CORRUPT, NOT_FOUND, CONFLICT.
   */
  async download(id: string, options: DownloadOptions = {}): Promise<InstalledRecord> {
    const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    return this.#install(id, 'download', options.signal, async (entry, file, target) =>
      downloadFile({
        url: `${baseUrl}/${entry.repo}/resolve/${entry.revision}/${file.path}`,
        target,
        expectedSha256: file.sha256,
        expectedSize: file.size,
        signal: options.signal,
        onBytes: (done, total) => options.onProgress?.({ phase: 'download', done, total, detail: file.path }),
      }),
    );
  }

  /**
   * Installs a model from a local folder holding its files (at their repository paths or flat).
   * @throws DriftlessError NOT_FOUND (missing files), CORRUPT (hash or size differ), CANCELLED, CONFLICT.
   */
  async importFromFolder(id: string, folder: string, options: ImportOptions = {}): Promise<InstalledRecord> {
    const entry = this.entry(id);
    const sources = await locateFiles(entry, folder);
    let done = 0;
    return this.#install(id, 'import', options.signal, async (_entry, file, target) => {
      await fs.copyFile(sources.get(file.path) as string, target);
      const digest = await verifyFile(
        target,
        { sha256: file.sha256, size: file.size, label: file.path },
        options.signal,
      );
      options.onProgress?.({ phase: 'import', done: ++done, total: entry.files.length, detail: file.path });
      return digest;
    });
  }

  /** Deletes an installed model and any staged partial download. */
  async remove(id: string): Promise<void> {
    this.#claim(this.entry(id).id);
    try {
      await fs.rm(this.modelDir(id), { recursive: true, force: true });
      await fs.rm(this.#stagingDir(id), { recursive: true, force: true });
      await fs.rm(this.#stagingDir(`${id}.import`), { recursive: true, force: true });
    } finally {
      this.#busy.delete(id);
    }
  }

  /**
   * Re-hashes an installed model's files against its install record and the catalogue.
   * @throws DriftlessError NOT_FOUND when not installed or a file is missing, CORRUPT when a file changed.
   */
  async verify(id: string, signal?: AbortSignal): Promise<InstalledRecord> {
    const entry = this.entry(id);
    const record = await this.installed(id);
    if (!record) throw new DriftlessError('NOT_FOUND', `Model "${id}" is not installed.`, { id });
    await verifyInstalled(this.modelDir(id), entry, record, signal);
    return record;
  }

  /**
   * Opens an installed model as an encoder, once its files match their hashes: a file changed on
   * disk is refused before onnxruntime parses it. Each install is re-hashed once per manager, so
   * reopening the model in use costs no second read of its weights.
   * @throws DriftlessError NOT_FOUND when the model is not installed, CORRUPT when a file changed.
   */
  async openEncoder(id: string, options: OnnxEncoderOptions): Promise<OnnxSentenceEncoder> {
    const entry = this.entry(id);
    const record = await this.installed(id);
    if (!record)
      throw new DriftlessError('NOT_FOUND', `Model "${id}" is not installed; download or import it first.`, {
        id,
      });
    if (this.#verifiedInstalls.get(id) !== record.installedAt) {
      await verifyInstalled(this.modelDir(id), entry, record);
      this.#verifiedInstalls.set(id, record.installedAt);
    }
    return OnnxSentenceEncoder.load(this.modelDir(id), entry, options);
  }

  #stagingDir(id: string): string {
    return path.join(this.modelsDir, '.staging', id);
  }

  #claim(id: string): void {
    if (this.#busy.has(id))
      throw new DriftlessError('CONFLICT', `Model "${id}" is already being installed or removed.`, { id });
    this.#busy.add(id);
  }

  async #install(
    id: string,
    source: InstalledRecord['source'],
    signal: AbortSignal | undefined,
    fetchFile: (entry: ModelEntry, file: ModelFile, target: string) => Promise<FileDigest>,
  ): Promise<InstalledRecord> {
    const entry = this.entry(id);
    const existing = await readInstalledRecord(this.modelDir(id));
    if (existing) return existing;
    this.#claim(id);
    try {
      // Downloads keep their staging folder across attempts (resume); imports start clean.
      const staging = this.#stagingDir(source === 'download' ? id : `${id}.import`);
      if (source === 'import') await fs.rm(staging, { recursive: true, force: true });
      const files: InstalledRecord['files'] = [];
      for (const file of entry.files) {
        throwIfAborted(signal);
        const target = path.join(staging, file.path);
        await fs.mkdir(path.dirname(target), { recursive: true });
        files.push({ path: file.path, ...(await fetchFile(entry, file, target)) });
      }
      return await this.#publish(entry, staging, installedRecord(entry, source, files));
    } finally {
      this.#busy.delete(id);
    }
  }

  /** Moves a fully verified staging folder into place in one rename. */
  async #publish(entry: ModelEntry, staging: string, record: InstalledRecord): Promise<InstalledRecord> {
    await writeInstalledRecord(staging, record);
    const dir = this.modelDir(entry.id);
    // A folder without an install record is a leftover of an interrupted install.
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rename(staging, dir);
    return record;
  }
}
