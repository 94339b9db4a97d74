import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dataPaths } from '../base/index.ts';
import { FeatureHashingEncoder, makeTempDir } from '../testing/index.ts';
import { openApp, type App } from './index.ts';

const topics = [
  'sourdough starter flour rye hydration levain crumb bake oven loaf',
  'bicycle chain derailleur brake cable tyre pressure saddle gear spoke',
  'espresso grinder beans roast crema portafilter tamp kettle pour filter',
  'kubernetes pod container deployment node cluster service ingress helm kubectl',
  'tomato garden soil compost seedlings watering trellis harvest mulch basil',
  'piano scales arpeggio metronome tempo chords sight reading pedal sonata',
  'tax return deduction receipts invoice refund accountant pension allowance form',
  'hiking dolomites trail hut ridge boots summit descent map altitude',
  'birds heron warbler binoculars wetland migration nest feathers song dawn',
  'rust ownership borrow checker lifetime trait enum cargo crate compiler',
];

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let app: App | undefined;
const encoder = new FeatureHashingEncoder({ dimensions: 512 });
const dataDir = () => path.join(temp.dir, 'data');
const open = () => openApp({ dataDir: dataDir(), loadEncoder: async () => encoder, watch: false });

beforeEach(async () => {
  temp = await makeTempDir('driftless-floors-');
  const notes = path.join(temp.dir, 'notes');
  await fs.mkdir(notes);
  for (const [i, words] of topics.entries()) await fs.writeFile(path.join(notes, `topic${i}.md`), words);
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
