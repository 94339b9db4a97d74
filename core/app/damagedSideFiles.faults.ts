import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeatureHashingEncoder, makeTempDir } from '../testing/index.ts';
import { DEFAULT_SETTINGS, openApp, type App } from './index.ts';

/**
 * Damaged side files in the data folder. Each of these made every command (status and search
 * included) fail with CORRUPT (exit 7) before; now the file is set aside and rebuilt or defaulted,
 * with a note in `status` and in driftless.log.
 */
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let dataDir: string;
let notesDir: string;
const apps: App[] = [];

beforeEach(async () => {
  temp = await makeTempDir('driftless-damaged-');
  dataDir = path.join(temp.dir, 'data');
  notesDir = path.join(temp.dir, 'notes');
  await fs.mkdir(notesDir, { recursive: true });
  await fs.writeFile(path.join(notesDir, 'garden.md'), '# Garden\n\nTomatoes need sun and water.\n');
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  await temp.remove();
});

async function open(): Promise<App> {
  const encoder = new FeatureHashingEncoder({ dimensions: 512 });
  const app = await openApp({ dataDir, loadEncoder: async () => encoder, watch: false });
  apps.push(app);
  return app;
}

/** A data folder with one imported folder, closed again. */
async function populated(): Promise<string> {
  const app = await open();
  const { id } = await app.api.addFolder({ path: notesDir });
  await app.idle();
  await app.close();
  apps.splice(apps.indexOf(app), 1);
  return id;
}

async function setAside(file: string): Promise<string[]> {
  const entries = await fs.readdir(path.dirname(file));
  return entries.filter((name) => name.startsWith(`${path.basename(file)}.damaged-`));
}

describe('damaged side files', () => {
  it.each([
    ['garbage', '{"theme": "dark", \u0000\u0001 not json'],
    ['empty', ''],
    ['not an object', '[1, 2, 3]'],
  ])('settings.json %s: the app opens with default settings and says so', async (_name, content) => {
    await fs.mkdir(dataDir, { recursive: true });
    const file = path.join(dataDir, 'settings.json');
    await fs.writeFile(file, content);
    const app = await open();
    expect(await app.api.getSettings({})).toEqual(DEFAULT_SETTINGS);
    const status = await app.api.status({});
    expect(status.repairs).toContainEqual(expect.objectContaining({ file }));
    expect(await setAside(file)).toHaveLength(1);
    expect(await fs.readFile(path.join(dataDir, 'driftless.log'), 'utf8')).toContain(`repaired ${file}`);
    await app.api.search({ query: 'tomatoes' });
  });

  it('settings.json with an unknown theme and a wrong type: only those fields take defaults', async () => {
    await fs.mkdir(dataDir, { recursive: true });
    const file = path.join(dataDir, 'settings.json');
    await fs.writeFile(
      file,
      JSON.stringify({
        theme: 'sepia',
        maxFileBytes: 2048,
        shortcut: 42,
        adaptation: { enabled: true, afterNewNotes: -5 },
        unknownKey: 1,
      }),
    );
    const app = await open();
    const settings = await app.api.getSettings({});
    expect(settings).toMatchObject({
      theme: DEFAULT_SETTINGS.theme,
      shortcut: DEFAULT_SETTINGS.shortcut,
      maxFileBytes: 2048,
      adaptation: { enabled: true, afterNewNotes: DEFAULT_SETTINGS.adaptation.afterNewNotes },
    });
    const repair = (await app.api.status({})).repairs?.find((entry) => entry.file === file);
    expect(repair?.problem).toMatch(/theme.*shortcut.*adaptation\.afterNewNotes.*unknownKey/);
    // The repaired file is valid again: the next start has nothing to repair.
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toMatchObject({
      theme: 'system',
      maxFileBytes: 2048,
    });
  });

  it('folders.json garbage: the app opens with no folders, and the folder can be added again', async () => {
    await populated();
    const file = path.join(dataDir, 'folders.json');
    await fs.writeFile(file, 'garbage');
    const app = await open();
    expect(await app.api.status({})).toMatchObject({ folders: 0 });
    expect(await setAside(file)).toHaveLength(1);
    await app.api.addFolder({ path: notesDir });
    await app.idle();
    expect(await app.api.status({})).toMatchObject({ folders: 1, notes: 1 });
  });

  it.each(['retrievals.json', 'adaptation.json'])(
    '%s garbage: status and search still answer',
    async (name) => {
      await populated();
      const file = path.join(dataDir, name);
      await fs.writeFile(file, '{"truncated');
      const app = await open();
      expect(await app.api.status({})).toMatchObject({ folders: 1 });
      expect((await app.api.search({ query: 'tomatoes' })).hits[0]?.notePath).toBe('garden.md');
      expect(await setAside(file)).toHaveLength(1);
    },
  );

  it('a damaged import report: later syncs of the folder still run and write a new one', async () => {
    const folderId = await populated();
    const file = path.join(dataDir, 'reports', `${folderId}.json`);
    await fs.writeFile(file, '{"folderId": 12');
    const app = await open();
    await fs.writeFile(path.join(notesDir, 'beans.md'), '# Beans\n\nClimbing beans need poles.\n');
    await app.api.syncFolders({ folderId });
    await app.idle();
    expect(await app.api.getImportReport({ folderId })).toMatchObject({ added: 1 });
    expect((await app.api.listJobs({})).filter((job) => job.state === 'failed')).toEqual([]);
  });
});
