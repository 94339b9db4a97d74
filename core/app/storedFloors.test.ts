import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dataPaths } from '../base/index.ts';
import { DISTINCT_TOPICS, FeatureHashingEncoder, makeTempDir } from '../testing/index.ts';
import { openApp, type App } from './index.ts';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let app: App | undefined;
const encoder = new FeatureHashingEncoder({ dimensions: 512 });
const dataDir = () => path.join(temp.dir, 'data');
const open = () => openApp({ dataDir: dataDir(), loadEncoder: async () => encoder, watch: false });

beforeEach(async () => {
  temp = await makeTempDir('driftless-floors-');
  const notes = path.join(temp.dir, 'notes');
  await fs.mkdir(notes);
  for (const [i, words] of DISTINCT_TOPICS.entries())
    await fs.writeFile(path.join(notes, `topic${i}.md`), words);
  app = await open();
  await app.api.addFolder({ path: notes });
  await app.idle();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await app?.close();
  app = undefined;
  await temp.remove();
});

describe('the relevance floors of a data folder', () => {
  it('are stored in its index folder by the first search, and read by the next process', async () => {
    const query = { query: 'crema roast grinder', mode: 'dense' as const };
    const first = await app!.api.search(query);
    await app!.close(); // waits for the floors' write, as a `driftless search` does before exiting
    app = undefined;
    const stored = JSON.parse(
      await fs.readFile(path.join(dataPaths(dataDir()).index, 'relevance-floors.json'), 'utf8'),
    );
    expect(stored).toMatchObject({ encoderVersion: 'v0', floors: { match: expect.any(Number) } });

    app = await open();
    // Measuring would embed a query per sampled chunk; only the search's own query is embedded.
    const embedded = vi.spyOn(encoder, 'embedQueries');
    expect(await app.api.search(query)).toEqual({ ...first, tookMs: expect.any(Number) });
    expect(embedded.mock.calls.map(([texts]) => texts)).toEqual([[query.query]]);
  });
});
