import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Progress } from '../base/index.ts';
import type { JobContext } from '../jobs/index.ts';
import { NoteIndex } from '../store/index.ts';
import { FeatureHashingEncoder, makeTempDir } from '../testing/index.ts';
import { syncFolder } from './syncFolder.ts';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let index: NoteIndex;
beforeEach(async () => {
  temp = await makeTempDir('driftless-sync-progress-');
  index = await NoteIndex.open(path.join(temp.dir, 'index'), { dimensions: 64 });
});
afterEach(async () => {
  await index.close();
  await temp.remove();
});

describe('syncFolder progress', () => {
  it('reports how many notes it will read before the first batch waits for the encoder', async () => {
    const notes = path.join(temp.dir, 'notes');
    await fs.mkdir(notes);
    for (let i = 0; i < 5; i++) await fs.writeFile(path.join(notes, `n${i}.md`), `# Note ${i}\n\nText ${i}.`);
    const reports: Progress[] = [];
    const context: JobContext = {
      signal: new AbortController().signal,
      report: (progress) => void reports.push(progress),
      checkpoint: async () => {},
    };
    let reportsBeforeEncoder: Progress[] | undefined;
    const encoder = async () => {
      reportsBeforeEncoder ??= [...reports];
      return new FeatureHashingEncoder({ dimensions: 64 });
    };
    const folder = { id: 'f1', root: notes, addedMs: 0 };
    const options = { ignore: [], maxFileBytes: 1_000_000, maxIndexedChars: 100_000, batchSize: 2 };
    await syncFolder(folder, { index, encoder }, options, context);
    expect(reportsBeforeEncoder?.at(-1)).toEqual({ phase: 'index', done: 0, total: 5 });
    expect(reports.filter((report) => report.phase === 'index').map((report) => report.done)).toEqual([
      0, 2, 4, 5,
    ]);
  });
});
