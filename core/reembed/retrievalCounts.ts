import { z } from 'zod';
import { readJsonFileOrSetAside, writeJsonAtomic } from '../base/index.ts';

const countsSchema = z.record(z.string(), z.number().int().nonnegative());

/**
 * How often each note was returned by search, so a backfill can re-embed the most retrieved
 * notes first. Kept in memory and saved on `save()` (the app saves on close and after backfills).
 */
export class RetrievalCounts {
  #counts: Record<string, number> = {};

  private constructor(private readonly file: string) {}

  static async open(file: string): Promise<RetrievalCounts> {
    const counts = new RetrievalCounts(file);
    counts.#counts = (await readJsonFileOrSetAside(file, countsSchema)) ?? {};
    return counts;
  }

  /** Counts one retrieval of each note key (`folderId/notePath`). */
  record(noteKeys: readonly string[]): void {
    for (const key of noteKeys) this.#counts[key] = (this.#counts[key] ?? 0) + 1;
  }

  count(noteKey: string): number {
    return this.#counts[noteKey] ?? 0;
  }

  async save(): Promise<void> {
    await writeJsonAtomic(this.file, this.#counts);
  }
}
