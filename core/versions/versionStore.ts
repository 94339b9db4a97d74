import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  DigestCache,
  DriftlessError,
  hashFilesStreamed,
  readJsonFile,
  removeAbandonedTempFiles,
  writeJsonAtomic,
} from '../base/index.ts';
import type { FilesDigest } from '../base/index.ts';
import { versionManifestSchema, versionNumber, type VersionDraft, type VersionManifest } from './manifest.ts';

const MANIFEST = 'manifest.json';
const CURRENT = 'current.json';
const STAGING_PREFIX = '.staging-';
/** The sha256 of each version file, by file identity: versions are checked on every start. */
const DIGESTS = 'verified-digests.json';
/** `previous` is the version in use before a publish named `version`, in case that publish never finished. */
const currentSchema = z.object({
  version: z.string().regex(/^v\d+$/),
  previous: z
    .string()
    .regex(/^v\d+$/)
    .optional(),
});

export interface DamagedVersion {
  version: string;
  reason: string;
}

/**
 * Encoder versions as immutable folders `versions/v<N>/` with a checksummed manifest. A version is
 * written in a staging folder and renamed into place in one step, so a crash never leaves a
 * half-written version that looks complete; `current.json` names the version in use.
 */
export class VersionStore {
  #manifests = new Map<string, VersionManifest>();
  #damaged: DamagedVersion[] = [];
  #current = 'v0';

  private constructor(
    readonly dir: string,
    private readonly digests: DigestCache,
  ) {}

  /**
   * Opens the store, creating v0 for `backboneId` on first use and clearing abandoned staging
   * folders. Every version is checked against its manifest; `digests` (default: a cache in `dir`)
   * reads again only the files that changed since they were last checked (see DigestCache).
   */
  static async open(
    dir: string,
    backboneId: string,
    options: { digests?: DigestCache } = {},
  ): Promise<VersionStore> {
    await fs.mkdir(dir, { recursive: true });
    const store = new VersionStore(dir, options.digests ?? (await DigestCache.open(path.join(dir, DIGESTS))));
    await store.#clearStaging();
    await removeAbandonedTempFiles(dir);
    await store.#load();
    if (!store.#manifests.has('v0')) await store.#createBase(backboneId);
    store.#current = store.#pickCurrent(await readCurrent(dir));
    return store;
  }

  get current(): VersionManifest {
    return this.get(this.#current);
  }

  list(): VersionManifest[] {
    return [...this.#manifests.values()].sort((a, b) => versionNumber(a.version) - versionNumber(b.version));
  }

  damaged(): DamagedVersion[] {
    return [...this.#damaged];
  }

  get(version: string): VersionManifest {
    const manifest = this.#manifests.get(version);
    if (!manifest) throw new DriftlessError('NOT_FOUND', `No encoder version ${version}.`);
    return manifest;
  }

  /** The chain from `version` back to v0, newest first. */
  lineage(version: string): VersionManifest[] {
    const chain: VersionManifest[] = [];
    for (let at: string | undefined = version; at; at = this.get(at).parent) chain.push(this.get(at));
    return chain;
  }

  filePath(version: string, file: string): string {
    if (!(file in this.get(version).files))
      throw new DriftlessError('NOT_FOUND', `Version ${version} has no file ${file}.`);
    return path.join(this.dir, version, file);
  }

  /**
   * Publishes a new version: `write` fills a staging folder, the manifest records every file's
   * checksum, and one rename makes the version exist. It becomes current unless told otherwise.
   */
  async publish(
    write: (stagingDir: string) => Promise<VersionDraft>,
    options: { makeCurrent?: boolean } = {},
  ): Promise<VersionManifest> {
    const staging = path.join(this.dir, `${STAGING_PREFIX}${randomUUID()}`);
    await fs.mkdir(staging);
    try {
      const draft = await write(staging);
      const version = this.nextVersion();
      const manifest = versionManifestSchema.parse({
        ...draft,
        formatVersion: 1,
        version,
        createdMs: Date.now(),
        files: await checksumFolder(staging, (file) => hashFilesStreamed([file])),
      });
      await syncFiles(staging, Object.keys(manifest.files));
      await writeJsonAtomic(path.join(staging, MANIFEST), manifest);
      const makeCurrent = options.makeCurrent ?? true;
      // Named current before it exists: a crash before the rename falls back to `previous`, one
      // after it finds the new version current, so the publish is all or nothing.
      if (makeCurrent)
        await writeJsonAtomic(path.join(this.dir, CURRENT), { version, previous: this.#current });
      await fs.rename(staging, path.join(this.dir, version));
      this.#manifests.set(version, manifest);
      if (makeCurrent) this.#current = version;
      return manifest;
    } catch (error) {
      await fs.rm(staging, { recursive: true, force: true });
      throw error;
    }
  }

  /** The name the next publish will take (one above every loaded or damaged version). */
  nextVersion(): string {
    const numbers = [
      ...this.list().map((m) => versionNumber(m.version)),
      ...this.#damaged.map((d) => versionNumber(d.version)).filter(Number.isFinite),
    ];
    return `v${Math.max(...numbers) + 1}`;
  }

  /** Makes an existing, intact version the one in use (promotion and rollback). */
  async setCurrent(version: string): Promise<void> {
    await this.verify(version);
    await writeJsonAtomic(path.join(this.dir, CURRENT), { version });
    this.#current = version;
  }

  /** Compares every file of a version with the manifest (re-reading those changed since last checked). */
  async verify(version: string): Promise<void> {
    const manifest = this.get(version);
    const actual = await checksumFolder(path.join(this.dir, version), (file) =>
      this.digests.digestOf([file]),
    );
    for (const [file, expected] of Object.entries(manifest.files)) {
      const found = actual[file];
      if (!found || found.sha256 !== expected.sha256 || found.bytes !== expected.bytes) {
        throw new DriftlessError(
          'CORRUPT',
          `Encoder version ${version} is damaged: ${file} does not match its checksum.`,
          { version, file },
        );
      }
    }
  }

  async #load(): Promise<void> {
    for (const entry of await fs.readdir(this.dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || !/^v\d+$/.test(entry.name)) continue;
      try {
        const manifest = await readJsonFile(path.join(this.dir, entry.name, MANIFEST), versionManifestSchema);
        if (!manifest || manifest.version !== entry.name)
          throw new DriftlessError('CORRUPT', 'missing or mismatched manifest');
        this.#manifests.set(entry.name, manifest);
        await this.verify(entry.name);
      } catch (error) {
        this.#manifests.delete(entry.name);
        this.#damaged.push({ version: entry.name, reason: DriftlessError.from(error).message });
      }
    }
  }

  async #createBase(backboneId: string): Promise<void> {
    const manifest: VersionManifest = {
      formatVersion: 1,
      version: 'v0',
      backboneId,
      createdMs: Date.now(),
      files: {},
      note: 'Pretrained encoder',
    };
    await writeJsonAtomic(path.join(this.dir, 'v0', MANIFEST), manifest);
    this.#manifests.set('v0', manifest);
  }

  async #clearStaging(): Promise<void> {
    for (const entry of await fs.readdir(this.dir)) {
      if (entry.startsWith(STAGING_PREFIX))
        await fs.rm(path.join(this.dir, entry), { recursive: true, force: true });
    }
  }

  /** The version current.json names, else the one before an unfinished publish, else the newest. */
  #pickCurrent(current: z.infer<typeof currentSchema> | undefined): string {
    for (const candidate of [current?.version, current?.previous])
      if (candidate && this.#manifests.has(candidate)) return candidate;
    return this.#latestLoadable();
  }

  #latestLoadable(): string {
    return this.list().at(-1)?.version ?? 'v0';
  }
}

/** current.json; a damaged one is ignored (the newest intact version is used) rather than fatal. */
async function readCurrent(dir: string): Promise<z.infer<typeof currentSchema> | undefined> {
  try {
    return await readJsonFile(path.join(dir, CURRENT), currentSchema);
  } catch (error) {
    if (error instanceof DriftlessError && error.code === 'CORRUPT') return undefined;
    throw error;
  }
}

async function checksumFolder(
  dir: string,
  digestOf: (file: string) => Promise<FilesDigest>,
): Promise<Record<string, { sha256: string; bytes: number }>> {
  const files: Record<string, { sha256: string; bytes: number }> = {};
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile() || entry.name === MANIFEST || entry.name.endsWith('.tmp')) continue;
    const { sha256, bytes } = await digestOf(path.join(dir, entry.name));
    files[entry.name] = { sha256, bytes };
  }
  return files;
}

/** Flushes the version's files before the rename publishes them, so a power loss cannot publish empty files. */
async function syncFiles(dir: string, files: string[]): Promise<void> {
  for (const file of files) {
    const handle = await fs.open(path.join(dir, file), 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
