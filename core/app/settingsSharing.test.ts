import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../service/contract.ts';
import { makeTempDir } from '../testing/index.ts';
import { REPO_ROOT } from '../testing/faults/childProcess.ts';
import { injectFsFault } from '../testing/faults/fsFaults.ts';
import { DEFAULT_SETTINGS, openApp, type App } from './index.ts';

/**
 * settings.json is the one source of truth for every process on a data folder: a running app (the
 * window, `driftless serve`) and the command line, each a real App on the same temporary folder.
 */
let temp: Awaited<ReturnType<typeof makeTempDir>>;
const opened: App[] = [];

const dataDir = () => path.join(temp.dir, 'data');
const settingsFile = () => path.join(dataDir(), 'settings.json');

beforeEach(async () => {
  temp = await makeTempDir('driftless-settings-sharing-');
  await fs.mkdir(dataDir());
});
afterEach(async () => {
  for (const app of opened.splice(0)) await app.close();
  await temp.remove();
});

/** `watch`: the running app; without, a one-shot command line. */
async function open(watch: boolean): Promise<App> {
  const app = await openApp({ dataDir: dataDir(), watch });
  opened.push(app);
  return app;
}

function settingsChanged(app: App): Promise<void> {
  return new Promise((resolve) => {
    const stop = app.events.on((event: ApiEvent) => {
      if (event.type !== 'settings-changed') return;
      stop();
      resolve();
    });
  });
}

async function stored(): Promise<unknown> {
  return JSON.parse(await fs.readFile(settingsFile(), 'utf8'));
}

describe('settings shared by processes on one data folder', () => {
  it("a running app's getSettings shows another process's change", async () => {
    const serving = await open(false);
    expect((await serving.api.getSettings({})).theme).toBe('system');
    const cli = await open(false);
    await cli.api.updateSettings({ settings: { theme: 'dark' } });
    expect((await serving.api.getSettings({})).theme).toBe('dark');
  });

  it('a running app that watches is told of the change without asking, and tells the window', async () => {
    const serving = await open(true);
    const told = settingsChanged(serving);
    const cli = await open(false);
    await cli.api.updateSettings({ settings: { searchMode: 'text' } });
    await told;
    expect((await serving.api.getSettings({})).searchMode).toBe('text');
  });

  it("a running app saving one setting keeps another process's change to another", async () => {
    const serving = await open(true);
    await serving.api.getSettings({});
    const cli = await open(false);
    const adaptation = { ...DEFAULT_SETTINGS.adaptation, trainingMinutes: 45 };
    await cli.api.updateSettings({ settings: { adaptation } });

    const saved = await serving.api.updateSettings({ settings: { theme: 'dark' } });
    expect(saved).toMatchObject({ theme: 'dark', adaptation: { trainingMinutes: 45 } });
    expect(await stored()).toMatchObject({ theme: 'dark', adaptation: { trainingMinutes: 45 } });
    expect((await cli.api.getSettings({})).theme).toBe('dark');
  });

  it('two concurrent updates of different settings in one process both land', async () => {
    const app = await open(false);
    await Promise.all([
      app.api.updateSettings({ settings: { theme: 'dark' } }),
      app.api.updateSettings({ settings: { searchMode: 'dense' } }),
    ]);
    expect(await stored()).toMatchObject({ theme: 'dark', searchMode: 'dense' });
    expect(await app.api.getSettings({})).toMatchObject({ theme: 'dark', searchMode: 'dense' });
  });

  it('concurrent updates from two processes all land', async () => {
    const serving = await open(true);
    const cli = await open(false);
    await Promise.all([
      serving.api.updateSettings({ settings: { theme: 'dark' } }),
      serving.api.updateSettings({ settings: { searchMode: 'dense' } }),
      cli.api.updateSettings({ settings: { ignore: ['drafts/**'] } }),
      cli.api.updateSettings({ settings: { maxFileBytes: 2048 } }),
    ]);
    const expected = { theme: 'dark', searchMode: 'dense', ignore: ['drafts/**'], maxFileBytes: 2048 };
    expect(await stored()).toMatchObject(expected);
    expect(await serving.api.getSettings({})).toMatchObject(expected);
    expect(await cli.api.getSettings({})).toMatchObject(expected);
  });

  it('new size limits set by another process: the running app reads every folder again', async () => {
    const serving = await open(true);
    const notes = path.join(temp.dir, 'notes');
    await fs.mkdir(notes);
    await fs.writeFile(path.join(notes, 'heron.md'), '# Heron\n\nThe heron waits in the shallows.');
    const folder = await serving.api.addFolder({ path: notes });
    await serving.idle();
    const reread = new Promise<void>((resolve) => {
      const stop = serving.events.on((event) => {
        if (event.type !== 'job' || event.job.label !== `Import ${folder.root} (new size limits)`) return;
        if (event.job.state !== 'finished') return;
        stop();
        resolve();
      });
    });
    const cli = await open(false);
    await cli.api.updateSettings({ settings: { maxIndexedChars: 20_000 } });
    await cli.close();
    opened.splice(opened.indexOf(cli), 1);
    await reread;
  });

  it('ignore rules set by another process: the running app syncs every folder with them', async () => {
    const serving = await open(true);
    const notes = path.join(temp.dir, 'notes');
    await fs.mkdir(path.join(notes, 'drafts'), { recursive: true });
    await fs.writeFile(path.join(notes, 'heron.md'), '# Heron\n\nThe heron waits in the shallows.');
    await fs.writeFile(path.join(notes, 'drafts', 'egret.md'), '# Egret\n\nAn egret stalks the reeds.');
    const folder = await serving.api.addFolder({ path: notes });
    await serving.idle();
    expect((await serving.api.listFolders({}))[0]).toMatchObject({ notes: 2 });
    const synced = new Promise<void>((resolve) => {
      const stop = serving.events.on((event) => {
        if (event.type !== 'index-changed' || event.folderId !== folder.id) return;
        stop();
        resolve();
      });
    });
    const cli = await open(false);
    await cli.api.updateSettings({ settings: { ignore: ['drafts/**'] } });
    await cli.close();
    opened.splice(opened.indexOf(cli), 1);
    await synced;
    expect((await serving.api.listFolders({}))[0]).toMatchObject({ notes: 1 });
  });

  it('a file damaged by hand while the app runs: bad settings take defaults, the rest are kept', async () => {
    const serving = await open(true);
    await serving.api.updateSettings({ settings: { theme: 'dark' } });
    const told = settingsChanged(serving);
    await fs.writeFile(settingsFile(), JSON.stringify({ theme: 'sepia', searchMode: 'text' }));
    await told;
    expect(await serving.api.getSettings({})).toEqual({ ...DEFAULT_SETTINGS, searchMode: 'text' });
    // As when opening: the file as written is set aside with a note, and the repaired one is valid.
    const repair = (await serving.api.status({})).repairs?.find((entry) => entry.file === settingsFile());
    expect(repair?.problem).toMatch(/theme/);
    expect(await stored()).toMatchObject({ theme: 'system', searchMode: 'text' });

    const toldAgain = settingsChanged(serving);
    await fs.writeFile(settingsFile(), '{"theme": "dark", not json');
    await toldAgain;
    expect(await serving.api.getSettings({})).toEqual(DEFAULT_SETTINGS);
    await serving.api.updateSettings({ settings: { theme: 'light' } });
    expect(await stored()).toMatchObject({ theme: 'light' });
  });
});

describe('settings in a data folder that can no longer be written', () => {
  it('a file damaged by hand still gives its valid settings, and a save says why it failed', async () => {
    const app = await open(false);
    // The lock file and the temp file of a save fail as on a read-only disk.
    const fault = injectFsFault(['writeFile', 'open'], 'EROFS', (file) =>
      path.basename(file).startsWith('settings.json.'),
    );
    try {
      await fs.writeFile(settingsFile(), JSON.stringify({ theme: 'sepia', searchMode: 'text' }));
      expect(await app.api.getSettings({})).toEqual({ ...DEFAULT_SETTINGS, searchMode: 'text' });
      await expect(app.api.updateSettings({ settings: { theme: 'dark' } })).rejects.toMatchObject({
        code: 'IO',
        message: expect.stringMatching(/read-only/),
      });
      expect(fault.failures).toBeGreaterThan(0);
    } finally {
      fault.restore();
    }
    expect(await stored()).toEqual({ theme: 'sepia', searchMode: 'text' });
  });
});

describe('driftless settings set while an app runs', () => {
  it('reaches the running app, which keeps it when it saves another setting', async () => {
    const serving = await open(true);
    const told = settingsChanged(serving);
    const cli = path.join(REPO_ROOT, 'bin', 'driftless.mjs');
    await promisify(execFile)(
      process.execPath,
      [cli, '--data-dir', dataDir(), 'settings', 'set', 'adaptation.trainingMinutes', '45'],
      { cwd: REPO_ROOT, env: { ...process.env, DRIFTLESS_CLI: 'sources' } },
    );
    await told;
    expect((await serving.api.getSettings({})).adaptation.trainingMinutes).toBe(45);
    await serving.api.updateSettings({ settings: { theme: 'dark' } });
    expect(await stored()).toMatchObject({ theme: 'dark', adaptation: { trainingMinutes: 45 } });
  }, 120_000);
});
