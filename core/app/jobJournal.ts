import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonAtomic } from '../base/index.ts';

/** Write jobs whose interruption a later start must learn about (imports have their own reports). */
export const JOURNALED_KINDS = ['adapt', 'reindex', 'backfill'] as const;
export type JournaledKind = (typeof JOURNALED_KINDS)[number];

const entrySchema = z.object({
  kind: z.enum(JOURNALED_KINDS),
  label: z.string(),
  /** The current encoder version when the job started. */
  from: z.string(),
  startedMs: z.number(),
  /** Training steps asked for, when the run overrode the default. */
  steps: z.number().int().positive().optional(),
});
export type JournalEntry = z.infer<typeof entrySchema>;

/**
 * One small file per running adaptation, reindex or backfill (`jobs/<kind>.running.json`), written
 * when the job starts and removed when it settles in any way. The job queue lives in memory, so
 * after a crash or kill -9 these files are the only trace that a job was cut off.
 */
export class JobJournal {
  constructor(private readonly dir: string) {}

  async begin(entry: JournalEntry): Promise<void> {
    await writeJsonAtomic(this.#file(entry.kind), entry);
  }

  async end(kind: JournaledKind): Promise<void> {
    await fs.rm(this.#file(kind), { force: true });
  }

  /** Jobs that started and never settled; a damaged entry still counts, with what can be known. */
  async interrupted(): Promise<JournalEntry[]> {
    const entries: JournalEntry[] = [];
    for (const kind of JOURNALED_KINDS) {
      const entry = await readJsonFile(this.#file(kind), entrySchema).catch(
        (): JournalEntry => ({ kind, label: kind, from: '', startedMs: 0 }),
      );
      if (entry) entries.push(entry);
    }
    return entries;
  }

  #file(kind: JournaledKind): string {
    return path.join(this.dir, `${kind}.running.json`);
  }
}
