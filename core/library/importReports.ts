import path from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonAtomic } from '../base/index.ts';
import type { ImportReport } from '../service/contract.ts';

const reportSchema = z.object({
  folderId: z.string(),
  finishedMs: z.number().optional(),
  added: z.number(),
  updated: z.number(),
  removed: z.number(),
  unchanged: z.number(),
  renamed: z.number(),
  skipped: z.array(z.object({ path: z.string(), reason: z.string(), message: z.string() })),
});

/** The last import report of each folder, kept in `reports/<folderId>.json`. */
export class ImportReports {
  constructor(private readonly dir: string) {}

  async get(folderId: string): Promise<ImportReport | undefined> {
    return readJsonFile(this.#file(folderId), reportSchema);
  }

  async save(report: ImportReport): Promise<void> {
    await writeJsonAtomic(this.#file(report.folderId), report);
  }

  #file(folderId: string): string {
    return path.join(this.dir, `${folderId.replace(/[^A-Za-z0-9_-]/g, '_')}.json`);
  }
}
