import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/index.ts';
import { LATEST_SCHEMA_VERSION } from './migrations.ts';
import { NoteIndex } from './noteIndex.ts';

let temp: Awaited<ReturnType<typeof makeTempDir>>;

beforeEach(async () => {
  temp = await makeTempDir();
});

afterEach(async () => {
  await temp.remove();
});

const readMeta = async () => JSON.parse(await fs.readFile(path.join(temp.dir, 'meta.json'), 'utf8'));

describe('index schema versions', () => {
  it('records the schema version and dimensions of a new index', async () => {
    const index = await NoteIndex.open(temp.dir, { dimensions: 8 });
    await index.close();
    expect(await readMeta()).toEqual({ schemaVersion: LATEST_SCHEMA_VERSION, dimensions: 8 });
    expect(LATEST_SCHEMA_VERSION).toBe(1);
  });

  it('lets several opens of a new index migrate it at the same moment (as four `driftless add` do)', async () => {
    // One shared meta.json.tmp let the first rename take the file from the others: ENOENT.
    const opened = await Promise.allSettled(
      Array.from({ length: 6 }, () => NoteIndex.open(temp.dir, { dimensions: 8 })),
    );
    for (const result of opened) if (result.status === 'fulfilled') await result.value.close();
    expect(opened.filter((result) => result.status === 'rejected')).toEqual([]);
    expect(await readMeta()).toEqual({ schemaVersion: LATEST_SCHEMA_VERSION, dimensions: 8 });
    expect((await fs.readdir(temp.dir)).filter((entry) => entry.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses an index written by a newer version', async () => {
    await (await NoteIndex.open(temp.dir, { dimensions: 8 })).close();
    await fs.writeFile(
      path.join(temp.dir, 'meta.json'),
      JSON.stringify({ schemaVersion: 99, dimensions: 8 }),
    );
    await expect(NoteIndex.open(temp.dir, { dimensions: 8 })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('reports unreadable metadata as corrupt', async () => {
    await fs.writeFile(path.join(temp.dir, 'meta.json'), '{not json');
    await expect(NoteIndex.open(temp.dir, { dimensions: 8 })).rejects.toMatchObject({ code: 'CORRUPT' });
  });
});
