import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from './index.ts';

/** Pins, hides and folder: names through the app's API: real files, LanceDB and the bundled encoder. */
let root: string;
let app: App;
let folderId: string;
const dataDir = () => path.join(root, 'data');

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-marks-'));
  const notes = path.join(root, 'garden');
  await fs.mkdir(notes);
  await fs.writeFile(
    path.join(notes, 'tomatoes.md'),
    '# Tomatoes\n\nWater the tomatoes in the garden every evening.',
  );
  await fs.writeFile(path.join(notes, 'roses.md'), '# Roses\n\nPrune the roses in the garden in March.');
  await fs.writeFile(path.join(notes, 'shed.md'), '# Shed\n\nThe garden shed needs a new roof.');
  app = await openApp({ dataDir: dataDir() });
  folderId = (await app.api.addFolder({ path: notes })).id;
  await app.idle();
}, 240_000);

afterAll(async () => {
  await app?.close();
  await fs.rm(root, { recursive: true, force: true });
});

const titles = async () => (await app.api.search({ query: 'garden' })).hits.map((hit) => hit.title);
const mark = (notePath: string, kind: 'pin' | 'hide') =>
  app.api.recordFeedback({ query: 'garden', kind, folderId, notePath, shown: [], encoderVersion: 'v0' });

describe('pins and hides', () => {
  it('rank the next search at once and survive a restart', async () => {
    expect((await titles()).sort()).toEqual(['Roses', 'Shed', 'Tomatoes']);
    await mark('shed.md', 'pin');
    await mark('roses.md', 'hide');
    expect(await titles()).toEqual(['Shed', 'Tomatoes']);
    await app.close();
    app = await openApp({ dataDir: dataDir() });
    expect(await titles()).toEqual(['Shed', 'Tomatoes']);
    expect((await app.api.listMarks({})).map(({ notePath, kind }) => [notePath, kind])).toEqual([
      ['roses.md', 'hide'],
      ['shed.md', 'pin'],
    ]);
  }, 120_000);

  it('are undone by clearMark', async () => {
    expect(await app.api.clearMark({ folderId, notePath: 'roses.md' })).toEqual({ cleared: true });
    expect(await app.api.clearMark({ folderId, notePath: 'roses.md' })).toEqual({ cleared: false });
    expect((await titles()).sort()).toEqual(['Roses', 'Shed', 'Tomatoes']);
  });

  it('take folder: by the folder name', async () => {
    const hits = (await app.api.search({ query: 'garden folder:garden' })).hits;
    expect(hits.length).toBe(3);
    await expect(app.api.search({ query: 'garden folder:nope' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'No folder is named “nope”; your folders: folder:garden.',
    });
  });
});
