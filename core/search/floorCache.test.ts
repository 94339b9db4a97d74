import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NoteIndex } from '../store/index.ts';
import { DISTINCT_TOPICS, FeatureHashingEncoder, makeNoteWrites, makeTempDir } from '../testing/index.ts';
import { MeasuredFloors } from './floorCache.ts';
import { FLOORS_FILE } from './floorFile.ts';
import { measureFloorSample } from './floorSample.ts';
import { floorsFrom } from './relevanceFloor.ts';

const DIMENSIONS = 1024;
const encoder = new FeatureHashingEncoder({ dimensions: DIMENSIONS });

describe('floors kept in the index folder for later processes', () => {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  let index: NoteIndex;
  const file = () => path.join(temp.dir, FLOORS_FILE);

  async function writeTopics(by: FeatureHashingEncoder, prefix: string, count = DISTINCT_TOPICS.length) {
    const notes = DISTINCT_TOPICS.slice(0, count).map((words, t) => ({
      notePath: `${prefix}${t}.md`,
      sections: [words],
    }));
    await index.writeNotes(await makeNoteWrites(by, notes));
  }

  /** What a new `driftless search` process builds, and the writes of stored floors it starts. */
  function newProcess() {
    const writes: Array<Promise<void>> = [];
    const floors = new MeasuredFloors({ trackWrite: (write) => writes.push(write) });
    return { floors, written: () => Promise.all(writes), writes };
  }

  // Every measurement starts by listing the version's rows; a stored floor reads none.
  const countMeasurements = () => vi.spyOn(index, 'rowIdsOfVersion');

  beforeEach(async () => {
    temp = await makeTempDir();
    index = await NoteIndex.open(temp.dir, { dimensions: DIMENSIONS });
    await writeTopics(encoder, 'topic');
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await index.close();
    await temp.remove();
  });

  it('measures once, stores the floors, and a second process reads them without measuring', async () => {
    const measurements = countMeasurements();
    const first = newProcess();
    const measured = await first.floors.floorsFor(index, encoder, temp.dir);
    expect(measured).toBeDefined();
    expect(measured).toEqual(floorsFrom(await measureFloorSample(index, encoder)));
    await first.written();
    expect(JSON.parse(await fs.readFile(file(), 'utf8'))).toMatchObject({
      encoderVersion: 'v0',
      rowBucket: 3, // 10 rows
      floors: measured,
    });
    measurements.mockClear();

    const second = newProcess();
    expect(await second.floors.floorsFor(index, encoder, temp.dir)).toEqual(measured);
    expect(measurements).not.toHaveBeenCalled();
    expect(second.writes).toEqual([]);
  });

  it('returns what the file holds for the key, not a new measurement', async () => {
    const stored = { method: 2, encoderVersion: 'v0', rowBucket: 3, floors: { match: 0.123, related: 0.05 } };
    await fs.writeFile(file(), JSON.stringify(stored));
    const measurements = countMeasurements();
    expect(await newProcess().floors.floorsFor(index, encoder, temp.dir)).toEqual({
      match: 0.123,
      related: 0.05,
    });
    expect(measurements).not.toHaveBeenCalled();
  });

  it('measures again for another encoder version and for a row count in another bucket', async () => {
    await newProcess()
      .floors.floorsFor(index, encoder, temp.dir)
      .then(() => undefined);
    const newer = new FeatureHashingEncoder({ dimensions: DIMENSIONS, version: 'v1' });
    await writeTopics(newer, 'newer', 10);
    const measurements = countMeasurements();

    const afterAdapt = newProcess();
    expect(await afterAdapt.floors.floorsFor(index, newer, temp.dir)).toBeDefined();
    expect(measurements).toHaveBeenCalledTimes(1);
    await afterAdapt.written();
    expect(JSON.parse(await fs.readFile(file(), 'utf8'))).toMatchObject({
      encoderVersion: 'v1',
      rowBucket: 3,
    });

    await writeTopics(newer, 'more', 6); // 16 rows of v1: bucket 4
    const afterImport = newProcess();
    await afterImport.floors.floorsFor(index, newer, temp.dir);
    expect(measurements).toHaveBeenCalledTimes(2);
    await afterImport.written();
    expect(JSON.parse(await fs.readFile(file(), 'utf8'))).toMatchObject({
      encoderVersion: 'v1',
      rowBucket: 4,
    });

    await newProcess().floors.floorsFor(index, newer, temp.dir);
    expect(measurements).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['not JSON', '{"method":1,"encoderVer'],
    ['of another shape', '{"method":1}'],
    ['with an infinite floor', '{"method":1,"encoderVersion":"v0","rowBucket":3,"floors":{"match":1e999}}'],
    ['with a cosine out of range', '{"method":1,"encoderVersion":"v0","rowBucket":3,"floors":{"match":-3}}'],
    [
      'with a related floor above the match floor',
      '{"method":1,"encoderVersion":"v0","rowBucket":3,"floors":{"match":0.1,"related":0.2}}',
    ],
    ['of another method', '{"method":99,"encoderVersion":"v0","rowBucket":3,"floors":{"match":0.1}}'],
    ['of another version', '{"method":1,"encoderVersion":"v9","rowBucket":3,"floors":{"match":0.1}}'],
    ['of another bucket', '{"method":1,"encoderVersion":"v0","rowBucket":2,"floors":{"match":0.1}}'],
  ])('measures again and replaces a file %s', async (_kind, content) => {
    await fs.writeFile(file(), content);
    const expected = floorsFrom(await measureFloorSample(index, encoder));
    const measurements = countMeasurements();
    const search = newProcess();
    const floors = await search.floors.floorsFor(index, encoder, temp.dir);
    expect(floors).toEqual(expected);
    expect(measurements).toHaveBeenCalledTimes(1);
    await search.written();
    expect(JSON.parse(await fs.readFile(file(), 'utf8'))).toMatchObject({
      method: 2,
      encoderVersion: 'v0',
      rowBucket: 3,
      floors,
    });
  });

  it('keeps one whole file when processes store their floors at the same moment', async () => {
    const processes = Array.from({ length: 4 }, newProcess);
    const floors = await Promise.all(processes.map((p) => p.floors.floorsFor(index, encoder, temp.dir)));
    await Promise.all(processes.map((p) => p.written()));
    expect(new Set(floors.map((f) => JSON.stringify(f))).size).toBe(1);
    expect(JSON.parse(await fs.readFile(file(), 'utf8'))).toMatchObject({ rowBucket: 3, floors: floors[0] });
    expect((await fs.readdir(temp.dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('stores that the notes were too few for a floor', async () => {
    const small = await makeTempDir();
    const smallIndex = await NoteIndex.open(small.dir, { dimensions: DIMENSIONS });
    try {
      await smallIndex.writeNotes(
        await makeNoteWrites(encoder, [{ notePath: 'one.md', sections: [DISTINCT_TOPICS[0]!] }]),
      );
      const first = newProcess();
      expect(await first.floors.floorsFor(smallIndex, encoder, small.dir)).toBeUndefined();
      await first.written();
      const stored = JSON.parse(await fs.readFile(path.join(small.dir, FLOORS_FILE), 'utf8'));
      expect(stored).toMatchObject({ rowBucket: 1, floors: null });
      const measurements = vi.spyOn(smallIndex, 'rowIdsOfVersion');
      expect(await newProcess().floors.floorsFor(smallIndex, encoder, small.dir)).toBeUndefined();
      expect(measurements).not.toHaveBeenCalled();
    } finally {
      await smallIndex.close();
      await small.remove();
    }
  });

  it('logs a write that fails and still answers', async () => {
    // A folder where the file should be: the rename onto it fails.
    await fs.mkdir(file());
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const failing = newProcess();
    expect(await failing.floors.floorsFor(index, encoder, temp.dir)).toBeDefined();
    await failing.written();
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining('Storing the relevance floors failed'));
  });
});
