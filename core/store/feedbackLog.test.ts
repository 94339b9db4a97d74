import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/index.ts';
import { FeedbackLog, type FeedbackEvent } from './feedbackLog.ts';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => (temp = await makeTempDir('driftless-feedback-')));
afterEach(() => temp.remove());

const event = (atMs: number, kind: FeedbackEvent['kind'] = 'open'): FeedbackEvent => ({
  query: `query ${atMs}`,
  kind,
  folderId: 'f1',
  notePath: 'a.md',
  shown: ['f1/b.md', 'f1/a.md'],
  encoderVersion: 'v0',
  atMs,
});

describe('FeedbackLog', () => {
  it('stores events in a LanceDB table that survives reopening, and reads them since a time', async () => {
    const log = await FeedbackLog.open(temp.dir);
    await log.append(event(2, 'up'));
    await log.append({ ...event(1), chunkId: 'c1' });
    log.close();
    const reopened = await FeedbackLog.open(temp.dir);
    expect(await reopened.read()).toEqual([{ ...event(1), chunkId: 'c1' }, event(2, 'up')]);
    expect(await reopened.read({ sinceMs: 2 })).toEqual([event(2, 'up')]);
    expect(await reopened.count({ sinceMs: 2 })).toBe(1);
    expect((await fs.readdir(temp.dir)).some((name) => name.startsWith('feedback'))).toBe(true);
    reopened.close();
  });

  it('moves events of an old JSONL log into the table once, ignoring a torn last line', async () => {
    const legacy = path.join(temp.dir, 'feedback.jsonl');
    await fs.writeFile(legacy, `${JSON.stringify(event(5))}\n{"query": "torn`);
    const log = await FeedbackLog.open(path.join(temp.dir, 'feedback'), { jsonl: legacy });
    expect(await log.read()).toEqual([event(5)]);
    log.close();
    const again = await FeedbackLog.open(path.join(temp.dir, 'feedback'), { jsonl: legacy });
    expect(await again.count()).toBe(1);
    again.close();
  });
});
