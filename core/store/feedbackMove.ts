import fs from 'node:fs/promises';
import path from 'node:path';
import { logFailure } from '../base/index.ts';
import { connectLance } from './lanceRuntime.ts';
import { fromRow, type FeedbackRecord } from './feedbackRows.ts';

/** Where moved rows go: the feedback folder's own table. */
export interface FeedbackTarget {
  read(): Promise<FeedbackRecord[]>;
  append(records: readonly FeedbackRecord[]): Promise<void>;
}

/**
 * Moves the rows of the `name` table that older versions kept inside the index folder into the
 * feedback folder's table, then drops the old table. Feedback inside `index/` was lost whenever the
 * index had to be rebuilt. Rows already present (an earlier move that crashed before the drop) are
 * not added twice, so a crash at any point loses and duplicates nothing. An unreadable old table
 * (a damaged index) stays where it is, for a later open to try again: false then.
 */
export async function moveLegacyFeedback(
  legacyDir: string,
  name: string,
  target: FeedbackTarget,
): Promise<boolean> {
  if (!(await exists(path.join(legacyDir, `${name}.lance`)))) return true;
  const db = await connectLance(legacyDir);
  try {
    const legacy = await db.openTable(name);
    const rows = await legacy
      .query()
      .toArray()
      .finally(() => legacy.close());
    const present = new Set((await target.read()).map(recordKey));
    await target.append(rows.map(fromRow).filter((record) => !present.has(recordKey(record))));
    await db.dropTable(name);
    return true;
  } catch (error) {
    logFailure(`Moving feedback out of ${legacyDir} (tried again at the next open)`, error);
    return false;
  } finally {
    db.close();
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

function recordKey(record: FeedbackRecord): string {
  const { atMs, query, kind, folderId, notePath, chunkId, shown, encoderVersion } = record;
  return JSON.stringify([atMs, query, kind, folderId, notePath, chunkId ?? null, shown, encoderVersion]);
}
