import fs from 'node:fs/promises';
import { FeedbackStore } from '../store/index.ts';

/** What the user did with a result: opened it, thumbs up or down, pinned or hid it. */
export type FeedbackKind = 'open' | 'up' | 'down' | 'pin' | 'hide';

/** One piece of feedback as the window reports it (the contract's `recordFeedback` arguments). */
export interface FeedbackInput {
  query: string;
  kind: FeedbackKind;
  folderId: string;
  notePath: string;
  chunkId?: string;
  /** The ranked note keys (folderId + '/' + notePath) the user saw, top first. */
  shown: string[];
  encoderVersion: string;
}

export type FeedbackEvent = FeedbackInput & { atMs: number };

/**
 * User feedback on results (opens, thumbs, pin/hide), stored durably in the index's `feedback`
 * LanceDB table. It is the training signal of later adaptation jobs.
 */
export class FeedbackLog {
  private constructor(private readonly store: FeedbackStore) {}

  /**
   * Opens the feedback table in the index folder. Events of an older `feedback.jsonl` (one JSON
   * object per line) are moved into the table once and the file is renamed `.imported`.
   */
  static async open(indexDir: string, legacyJsonl?: string): Promise<FeedbackLog> {
    const log = new FeedbackLog(await FeedbackStore.open(indexDir));
    if (legacyJsonl) await log.#importJsonl(legacyJsonl);
    return log;
  }

  async append(event: FeedbackEvent): Promise<void> {
    await this.store.append([event]);
  }

  /** Every event, oldest first (or those at or after `sinceMs`). */
  async read(options: { sinceMs?: number } = {}): Promise<FeedbackEvent[]> {
    return (await this.store.read(options)) as FeedbackEvent[];
  }

  count(options: { sinceMs?: number } = {}): Promise<number> {
    return this.store.count(options);
  }

  close(): void {
    this.store.close();
  }

  async #importJsonl(file: string): Promise<void> {
    let raw: string;
    try {
      raw = await fs.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const events = raw.split('\n').flatMap((line) => {
      try {
        return line ? [JSON.parse(line) as FeedbackEvent] : [];
      } catch {
        return []; // a torn last line from a crash
      }
    });
    await this.store.append(events);
    await fs.rename(file, `${file}.imported`);
  }
}
