import fs from 'node:fs/promises';
import path from 'node:path';
import type { ApiArgs } from '../service/contract.ts';

export type FeedbackEvent = ApiArgs<'recordFeedback'> & { atMs: number };

/**
 * User feedback on results (opens, thumbs, pin/hide), appended durably one JSON line per event.
 * It is the training signal of later adaptation jobs, so every event is flushed to disk at once.
 */
export class FeedbackLog {
  constructor(private readonly file: string) {}

  async append(event: FeedbackEvent): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const handle = await fs.open(this.file, 'a');
    try {
      await handle.write(JSON.stringify(event) + '\n');
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** Every intact event; a torn last line from a crash is ignored. */
  async read(): Promise<FeedbackEvent[]> {
    let raw: string;
    try {
      raw = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return raw.split('\n').flatMap((line) => {
      try {
        return line ? [JSON.parse(line) as FeedbackEvent] : [];
      } catch {
        return [];
      }
    });
  }
}
