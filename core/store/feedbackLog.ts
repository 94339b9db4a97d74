import fs from 'node:fs/promises';
import { FeedbackStore } from './feedbackStore.ts';

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
 * User feedback on results (opens, thumbs, pin/hide), stored durably in a `feedback` LanceDB table
 * outside the index. It is the training signal of later adaptation jobs.
 */
export class FeedbackLog {
  private constructor(private readonly store: FeedbackStore) {}

  /**
   * Opens the feedback table in `dir`. Older data folders kept feedback elsewhere: events of the
   * table inside the index folder (`legacy.indexDir`) and of a `feedback.jsonl` (one JSON object per
   * line, `legacy.jsonl`) are moved into the table once; the JSONL file is renamed `.imported`.
   */
  static async open(dir: string, legacy: { indexDir?: string; jsonl?: string } = {}): Promise<FeedbackLog> {
    const movedFrom = legacy.indexDir;
    const log = new FeedbackLog(await FeedbackStore.open(dir, movedFrom ? { movedFrom } : {}));
    if (legacy.jsonl) await log.#importJsonl(legacy.jsonl);
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
