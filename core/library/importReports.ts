import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { logFailure, readJsonFileOrSetAside, writeJsonAtomic } from '../base/index.ts';

const RUNNING = '.running';

/** What one import of a folder did. */
export interface ImportReport {
  folderId: string;
  finishedMs?: number;
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  renamed: number;
  skipped: Array<{ path: string; reason: string; message: string }>;
  /** Notes longer than the `maxIndexedChars` setting: only their beginning is searchable. */
  truncated: Array<{ path: string; indexedChars: number; totalChars: number }>;
}

const reportSchema = z.object({
  folderId: z.string(),
  finishedMs: z.number().optional(),
  added: z.number(),
  updated: z.number(),
  removed: z.number(),
  unchanged: z.number(),
  renamed: z.number(),
  skipped: z.array(z.object({ path: z.string(), reason: z.string(), message: z.string() })),
  // Reports written before notes were truncated have no such list.
  truncated: z
    .array(z.object({ path: z.string(), indexedChars: z.number(), totalChars: z.number() }))
    .default([]),
});

/**
 * The last import report of each folder, kept in `reports/<folderId>.json`, and a marker file per
 * import in progress, so an import that a crash interrupted can be found and resumed on restart.
 */
export class ImportReports {
  constructor(private readonly dir: string) {}

  async get(folderId: string): Promise<ImportReport | undefined> {
    return readJsonFileOrSetAside(this.#file(folderId), reportSchema);
  }

  /** Marks an import of the folder as started; `save` of its report clears the mark. */
  async markStarted(folderId: string): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    await fs.writeFile(this.#file(folderId, RUNNING), String(Date.now()));
  }

  async save(report: ImportReport): Promise<void> {
    await writeJsonAtomic(this.#file(report.folderId), report);
    await fs.rm(this.#file(report.folderId, RUNNING), { force: true });
  }

  /** Folders whose last import started but never finished (crash, kill, power loss). */
  async interrupted(): Promise<string[]> {
    const entries = await fs.readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      // No reports folder yet: no import ever started.
      if (error.code !== 'ENOENT') logFailure('Listing interrupted imports', error);
      return [] as string[];
    });
    return entries.filter((name) => name.endsWith(RUNNING)).map((name) => name.slice(0, -RUNNING.length));
  }

  #file(folderId: string, suffix = '.json'): string {
    return path.join(this.dir, `${folderId.replace(/[^A-Za-z0-9_-]/g, '_')}${suffix}`);
  }
}
