import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../base/index.ts';
import { CHUNK_EVIDENCE, DENSE_WEIGHTS, fusionChoiceFile, readFusionChoice } from './fusionChoice.ts';
import { FUSION_JOB_LABEL, MIN_NOTES_FOR_FUSION } from './fusionRefresh.ts';
import { openApp, type App } from './index.ts';

/**
 * Real files, LanceDB and the bundled encoder: the app chooses its hybrid fusion from the notes
 * once there are enough of them, records it, and searches with it.
 */
const TOPICS = [
  'garden soil compost tomatoes watering seedlings',
  'sourdough starter flour oven crust loaf',
  'kubernetes pods containers cluster deployment',
  'mountain hiking boots trail summit weather',
  'guitar chords strings practice rhythm melody',
  'budget invoices taxes savings expenses account',
  'chess openings endgame tactics pawns bishops',
  'sailing wind knots harbour mooring tide',
];
const FILLER = 'today later often usually again carefully quickly slowly together alone'.split(' ');

function noteText(topic: string, random: SeededRandom): string {
  const words = topic.split(' ');
  const sentence = () =>
    Array.from({ length: 9 }, () =>
      random.next() < 0.6 ? words[random.int(words.length)] : FILLER[random.int(FILLER.length)],
    ).join(' ');
  return Array.from({ length: 5 }, () => `${sentence()}.`).join(' ');
}

let root: string;
let notes: string;
let app: App;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-fusion-'));
  notes = path.join(root, 'notes');
  await fs.mkdir(notes, { recursive: true });
  const random = new SeededRandom(7);
  for (let i = 0; i < MIN_NOTES_FOR_FUSION - 10; i++) {
    const topic = TOPICS[i % TOPICS.length]!;
    await fs.writeFile(path.join(notes, `note-${i}.txt`), noteText(topic, random));
  }
  app = await openApp({ dataDir: path.join(root, 'data') });
  await app.api.addFolder({ path: notes });
  await app.idle();
}, 240_000);

afterAll(async () => {
  await app?.close();
  await fs.rm(root, { recursive: true, force: true });
});

describe('hybrid fusion chosen from the notes', () => {
  it('keeps the default while there are too few notes', async () => {
    expect(await readFusionChoice(app.dataDir)).toBeUndefined();
    expect((await app.api.listJobs({})).map((job) => job.label)).not.toContain(FUSION_JOB_LABEL);
  });

  it('is chosen on validation pairs once the folder has enough notes, and recorded', async () => {
    const random = new SeededRandom(8);
    for (let i = MIN_NOTES_FOR_FUSION - 10; i < MIN_NOTES_FOR_FUSION + 20; i++)
      await fs.writeFile(path.join(notes, `note-${i}.txt`), noteText(TOPICS[i % TOPICS.length]!, random));
    await app.api.syncFolders({});
    await app.idle();
    const job = (await app.api.listJobs({})).find((candidate) => candidate.label === FUSION_JOB_LABEL);
    expect(job?.state).toBe('finished');
    const choice = await readFusionChoice(app.dataDir);
    expect(choice).toMatchObject({ model: 'bundled', version: 'v0', notes: MIN_NOTES_FOR_FUSION + 20 });
    expect(choice!.pairs).toBeGreaterThanOrEqual(30);
    expect(DENSE_WEIGHTS).toContain(choice!.denseWeight);
    expect(CHUNK_EVIDENCE).toContain(choice!.chunkEvidence);
    // Full text alone unless the pairs vouch for more: never below it on the pairs.
    expect(choice!.mrr.chosen).toBeGreaterThanOrEqual(choice!.mrr.text!);
    expect(choice!.mrr.chosen).toBeGreaterThan(0);
    if (choice!.denseWeight > 0) expect(choice!.denseGain!.low).toBeGreaterThan(0);
    // The validation index is temporary.
    expect(await fs.readdir(path.join(app.dataDir, 'tmp')).catch(() => [])).toEqual([]);
  });

  it('is not chosen again while the notes have not changed much, and survives a restart', async () => {
    const before = await fs.readFile(fusionChoiceFile(app.dataDir), 'utf8');
    await app.api.syncFolders({});
    await app.idle();
    const jobs = (await app.api.listJobs({})).filter((job) => job.label === FUSION_JOB_LABEL);
    expect(jobs).toHaveLength(1);
    await app.close();
    app = await openApp({ dataDir: path.join(root, 'data') });
    await app.idle();
    expect(await fs.readFile(fusionChoiceFile(app.dataDir), 'utf8')).toBe(before);
    const found = await app.api.search({ query: 'compost for the tomatoes seedlings' });
    expect(found.hits.length).toBeGreaterThan(0);
  });
});
