import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeJsonAtomic } from './files.ts';
import { logAndContinue } from './log.ts';

/** The sha256 of some files' bytes, read one after the other, and how many bytes that was. */
export interface FilesDigest {
  readonly sha256: string;
  readonly bytes: number;
}

/** Hashes files as one stream of bytes; the seam through which tests count the reads. */
export type HashFiles = (paths: readonly string[]) => Promise<FilesDigest>;

export interface DigestCacheOptions {
  readonly hashFiles?: HashFiles;
  /** The wall clock, in ms; tests move it on to see files as settled or entries as expired. */
  readonly now?: () => number;
}

/**
 * A file written less than this long ago is hashed but not remembered: a second write inside the
 * file system's timestamp granularity (a few ms on ext4, 2 s on FAT) could keep every field of
 * its identity (git calls such an entry "racily clean").
 */
const SETTLE_MS = 3_000;
/** Entries are hashed again after a week, so damage below the file system is still found. */
const MAX_AGE_MS = 7 * 24 * 3_600_000;
/** Entries of deleted files are never looked up again; the oldest go beyond this many. */
const MAX_ENTRIES = 200;

/** What the cache file remembers of some files read together. */
interface Entry {
  readonly paths: readonly string[];
  /** One identity per path (see identityOf). */
  readonly files: readonly string[];
  readonly sha256: string;
  readonly bytes: number;
  readonly verifiedMs: number;
}

/**
 * sha256 digests of files, remembered by each file's identity so that a file unchanged since it
 * was last hashed is not read again: hashing the encoder's 56 MB on every command-line start cost
 * about 0.3 s on a loaded machine (issue 15).
 *
 * What it trusts: a file whose device, inode, size, modification time and change time are all
 * unchanged still holds the bytes it held when hashed. Every write through the file system moves
 * mtime and ctime (ctime cannot be set back from user space: setting mtime moves it), and a file
 * replaced by another (a copy, a rename, a finished download) has another inode, so a rewritten or
 * swapped file is hashed again even at the same size and with its old mtime restored. A change
 * below the file system (bit rot, a raw write to the device) keeps the identity: entries expire
 * after a week for that. The hashes guard against accidental damage and partial downloads, not
 * against someone writing as the user, who could as well rewrite the expected hashes or this
 * cache; so trusting metadata the user's own account controls gives nothing away.
 *
 * The cache file is a convenience: an unreadable, damaged or foreign one is ignored and rewritten,
 * and one that cannot be written only means hashing again next time.
 */
export class DigestCache {
  readonly #entries: Map<string, Entry>;
  #saving: Promise<void> = Promise.resolve();

  private constructor(
    readonly file: string,
    entries: readonly Entry[],
    private readonly hashFiles: HashFiles,
    private readonly now: () => number,
  ) {
    this.#entries = new Map(entries.map((entry) => [keyOf(entry.paths), entry]));
  }

  /** Opens the cache kept in `file` (written atomically; created on the first file it learns). */
  static async open(file: string, options: DigestCacheOptions = {}): Promise<DigestCache> {
    return new DigestCache(
      file,
      await readEntries(file),
      options.hashFiles ?? hashFilesStreamed,
      options.now ?? Date.now,
    );
  }

  /**
   * The digest of `paths` read one after the other: remembered when no file changed since it was
   * hashed, else hashed now (and remembered when every file has settled and stayed still meanwhile).
   */
  async digestOf(paths: readonly string[]): Promise<FilesDigest> {
    const absolute = paths.map((p) => path.resolve(p));
    const key = keyOf(absolute);
    const startedMs = this.now();
    const before = await Promise.all(absolute.map(identityOf));
    const files = before.map((file) => file.id);
    const known = this.#entries.get(key);
    if (known && sameIds(known.files, files) && startedMs - known.verifiedMs < MAX_AGE_MS)
      return { sha256: known.sha256, bytes: known.bytes };
    const digest = await this.hashFiles(absolute);
    const after = await Promise.all(absolute.map(identityOf));
    const settled = before.every((file) => file.changedMs <= startedMs - SETTLE_MS);
    if (
      settled &&
      sameIds(
        files,
        after.map((file) => file.id),
      )
    ) {
      this.#entries.set(key, { paths: absolute, files, ...digest, verifiedMs: startedMs });
      await this.#save();
    } else if (known) {
      this.#entries.delete(key);
    }
    return digest;
  }

  /** Writes the entries, merged with any another process saved meanwhile (ours win). */
  #save(): Promise<void> {
    this.#saving = this.#saving.then(async () => {
      for (const entry of await readEntries(this.file)) {
        const key = keyOf(entry.paths);
        if (!this.#entries.has(key)) this.#entries.set(key, entry);
      }
      const entries = [...this.#entries.values()]
        .sort((a, b) => b.verifiedMs - a.verifiedMs)
        .slice(0, MAX_ENTRIES);
      await writeJsonAtomic(this.file, { formatVersion: 1, entries }).catch(
        logAndContinue(`Saving the file digests in ${this.file}`),
      );
    });
    return this.#saving;
  }
}

/** The default HashFiles: streams every file through one sha256; `signal` stops the read. */
export async function hashFilesStreamed(
  paths: readonly string[],
  signal?: AbortSignal,
): Promise<FilesDigest> {
  const hash = createHash('sha256');
  let bytes = 0;
  for (const file of paths) {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20, signal })) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  }
  return { sha256: hash.digest('hex'), bytes };
}

interface FileIdentity {
  /** Device, inode, size, mtime and ctime (ns), as one comparable string. */
  readonly id: string;
  /** The later of mtime and ctime, in ms. */
  readonly changedMs: number;
}

async function identityOf(file: string): Promise<FileIdentity> {
  const stats = await fs.stat(file, { bigint: true });
  return {
    id: [stats.dev, stats.ino, stats.size, stats.mtimeNs, stats.ctimeNs].join(':'),
    changedMs: Number((stats.mtimeNs > stats.ctimeNs ? stats.mtimeNs : stats.ctimeNs) / 1_000_000n),
  };
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

function keyOf(paths: readonly string[]): string {
  return paths.join('\0');
}

/** The entries saved in `file`; none when it is missing, unreadable or not a cache of this format. */
async function readEntries(file: string): Promise<Entry[]> {
  try {
    const saved = JSON.parse(await fs.readFile(file, 'utf8')) as {
      formatVersion?: unknown;
      entries?: unknown;
    };
    if (saved.formatVersion !== 1 || !Array.isArray(saved.entries)) return [];
    return saved.entries.filter(isEntry);
  } catch {
    // A missing or damaged cache only costs hashing again; the next save replaces it.
    return [];
  }
}

/**
 * Checked by hand rather than with zod: core/base lies on the path of `driftless --help`, which
 * loads no schema library (zod is 71 files).
 */
function isEntry(value: unknown): value is Entry {
  const entry = value as Partial<Record<keyof Entry, unknown>> | null;
  const strings = (list: unknown): list is string[] =>
    Array.isArray(list) && list.every((item) => typeof item === 'string');
  return (
    typeof entry === 'object' &&
    entry !== null &&
    strings(entry.paths) &&
    entry.paths.length > 0 &&
    strings(entry.files) &&
    entry.files.length === entry.paths.length &&
    typeof entry.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(entry.sha256) &&
    Number.isSafeInteger(entry.bytes) &&
    (entry.bytes as number) >= 0 &&
    Number.isFinite(entry.verifiedMs)
  );
}
