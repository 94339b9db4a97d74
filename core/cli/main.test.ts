import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_DIMS, LinearEncoder, linearAppOptions } from '../adapt/testing/index.ts';
import { openApp } from '../app/index.ts';
import type { App, AppOptions } from '../app/types.ts';
import type { Encoder } from '../encoder/index.ts';
import type { FolderInfo, ImportReport, JobInfo, SearchResponse, StatusInfo } from '../service/index.ts';
import { main } from './main.ts';
import { CapturedStream, ManualInterrupts } from './testing.ts';

/**
 * The command line against the real app: each run opens the data folder with real LanceDB and the
 * linear fixture encoder, as `driftless` does with the bundled one, and closes it on exit.
 */
let tempDir: string;
let notesDir: string;

beforeEach(async () => {
  tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-cli-'));
  notesDir = path.join(tempDir, 'notes');
  await fs.mkdir(path.join(notesDir, 'work'), { recursive: true });
  await fs.writeFile(
    path.join(notesDir, 'garden.md'),
    '# Garden\n\n## Spring\n\nPlant tomatoes in May. #home\n',
  );
  await fs.writeFile(
    path.join(notesDir, 'work', 'taxes.md'),
    '# Taxes\n\nFile the tax return in April. Tomatoes are deductible? #work\n',
  );
  await fs.writeFile(path.join(notesDir, 'todo.txt'), 'buy rope\n');
});

afterEach(async () => {
  await fs.rm(tempDir, { recursive: true, force: true });
});

interface SetupOptions {
  stdoutTTY?: boolean;
  stderrTTY?: boolean;
  /** Stands in for the fixture encoder of v0 (a gated or failing one). */
  encoder?: () => Encoder;
  /** Called with each app the CLI opens, before the command uses it. */
  onOpen?: (app: App) => void;
}

/** One CLI "machine": every run opens the real app on the data folder the command line names. */
function setup(options: SetupOptions = {}) {
  const opened: AppOptions[] = [];
  const closed: string[] = [];
  const interrupts = new ManualInterrupts();
  const openFixtureApp = async (appOptions: AppOptions): Promise<App> => {
    opened.push(appOptions);
    const fixture = linearAppOptions();
    const encoder = options.encoder;
    const app = await openApp({
      ...appOptions,
      ...fixture,
      ...(encoder ? { loadEncoder: async () => encoder() } : {}),
    });
    options.onOpen?.(app);
    // Records the close the CLI owes the data folder (its writer lock, LanceDB handles).
    return { ...app, close: async () => (await app.close(), void closed.push(appOptions.dataDir)) };
  };
  const run = async (...argv: string[]) => {
    const stdout = new CapturedStream(options.stdoutTTY);
    const stderr = new CapturedStream(options.stderrTTY);
    const code = await main(argv, {
      openApp: openFixtureApp,
      stdout,
      stderr,
      onInterrupt: interrupts.subscribe,
      env: { DRIFTLESS_DATA_DIR: path.join(tempDir, 'default-data') },
      openUrl: () => undefined,
    });
    return { code, stdout: stdout.text, stderr: stderr.text };
  };
  /** The id the app gave the notes folder, as `driftless folders --json` lists it. */
  const folderId = async () =>
    (JSON.parse((await run('folders', '--json')).stdout) as FolderInfo[])[0]?.id ?? 'none';
  return { opened, closed, interrupts, run, folderId, openFixtureApp };
}

describe('help and usage errors', () => {
  it('prints help with exit code 0 without opening the app', async () => {
    const { run, opened } = setup();
    const top = await run('--help');
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('Usage: driftless');
    for (const command of ['search', 'add', 'remove', 'sync', 'folders', 'report', 'status', 'serve'])
      expect(top.stdout).toContain(command);
    const search = await run('search', '--help');
    expect(search.stdout).toContain('--mode <mode>');
    expect(opened).toEqual([]);
  });

  it('reports usage errors as one line with exit code 2', async () => {
    const { run } = setup();
    for (const argv of [
      ['bogus'],
      ['search'],
      ['search', 'x', '--limit', 'many'],
      ['search', 'x', '--mode', 'fuzzy'],
      ['serve', '--port', '-1'],
    ]) {
      const result = await run(...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^driftless: [^\n]+\n$/);
    }
  });
});

describe('data folder', () => {
  it('uses --data-dir, else DRIFTLESS_DATA_DIR, and closes the app', async () => {
    const { run, opened, closed } = setup();
    await run('--data-dir', path.join(tempDir, 'mine'), 'status');
    await run('status');
    const dirs = [path.join(tempDir, 'mine'), path.join(tempDir, 'default-data')];
    expect(opened.map((options) => options.dataDir)).toEqual(dirs);
    expect(opened[0]?.watch).toBe(false);
    expect(closed).toEqual(dirs);
  });
});

describe('data folder that cannot be used', () => {
  it('says a file is not a folder instead of EEXIST … mkdir', async () => {
    const { run, opened } = setup();
    const file = path.join(tempDir, 'a-file');
    await fs.writeFile(file, 'not a folder');
    for (const dir of [file, path.join(file, 'inside')]) {
      const result = await run('--data-dir', dir, 'status');
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `driftless: The data folder ${dir} cannot be used: ${file} is a file, not a folder. Choose a folder with --data-dir (or DRIFTLESS_DATA_DIR).\n`,
      );
    }
    expect(opened).toEqual([]);
  });

  it.runIf(process.platform === 'linux')(
    'fails at once where the parent takes no new folders (/proc), instead of looping on mkdir',
    async () => {
      const { run, opened } = setup();
      const result = await run('--data-dir', '/proc/nope', 'status');
      expect(result.code).toBe(8);
      expect(result.stderr).toBe(
        'driftless: The data folder /proc/nope cannot be created: its parent folder does not accept new folders. Choose another with --data-dir (or DRIFTLESS_DATA_DIR).\n',
      );
      expect(opened).toEqual([]);
    },
    10_000,
  );

  it('creates a missing data folder with its missing parents', async () => {
    const { run, opened } = setup();
    const dir = path.join(tempDir, 'new', 'deeper', 'data');
    expect((await run('--data-dir', dir, 'status')).code).toBe(0);
    expect((await fs.stat(dir)).isDirectory()).toBe(true);
    expect(opened.map((options) => options.dataDir)).toEqual([dir]);
  });
});

describe('search usage', () => {
  it('refuses an empty query with a usage error instead of listing arbitrary notes', async () => {
    const { run } = setup();
    await run('add', notesDir);
    for (const query of ['', '   ']) {
      const result = await run('search', query);
      expect(result).toMatchObject({ code: 2, stdout: '' });
      expect(result.stderr).toMatch(
        /^driftless: Nothing to search for: .*driftless search "sourdough starter"\.\n$/,
      );
    }
  });

  it('says the range of --limit instead of a schema error', async () => {
    const { run } = setup();
    for (const limit of ['0', '201', 'many']) {
      const result = await run('search', 'x', '--limit', limit);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `driftless: option '--limit <n>' argument '${limit}' is invalid. Give a whole number from 1 to 200.\n`,
      );
    }
  });

  it('says that no folders were added, and how to add one', async () => {
    const { run } = setup();
    const result = await run('search', 'tomatoes');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      'No results: no folders have been added yet. Add one with `driftless add <folder>`, e.g. driftless add ~/notes\n',
    );
  });
});

describe('folders and search', () => {
  it('adds a folder, lists it and finds its notes', async () => {
    const { run, folderId } = setup();
    const added = await run('add', notesDir);
    expect(added).toMatchObject({ code: 0, stderr: '' });
    const id = await folderId();
    expect(added.stdout).toBe(`Added ${notesDir} (${id}): 3 notes, 4 chunks, 0 skipped.\n`);

    const folders = JSON.parse((await run('folders', '--json')).stdout) as FolderInfo[];
    expect(folders).toEqual([expect.objectContaining({ id, root: notesDir, notes: 3 })]);
    expect((await run('folders')).stdout).toContain(notesDir);

    const response = JSON.parse((await run('search', 'tomatoes', '--json')).stdout) as SearchResponse;
    expect(response.query).toBe('tomatoes');
    // The notes with the word lead; in a three-note folder the dense half also lists the third.
    expect(response.hits.map((hit) => hit.notePath).slice(0, 2)).toEqual(['garden.md', 'work/taxes.md']);
    const words = JSON.parse((await run('search', 'tomatoes', '--json', '--mode', 'text')).stdout);
    expect((words as SearchResponse).hits.map((hit) => hit.notePath)).toEqual(['garden.md', 'work/taxes.md']);

    const human = await run('search', 'plant', 'tomatoes');
    expect(human.stdout).toContain('1. Garden — notes/garden.md › Garden › Spring\n');
    expect(human.stdout).toContain('Plant tomatoes in May.');
    expect(human.stdout).not.toContain('\u001b[');
  });

  it('passes filters and options to search', async () => {
    const { run } = setup();
    await run('add', notesDir);
    const search = async (...extra: string[]) =>
      (JSON.parse((await run('search', 'tomatoes', '--json', ...extra)).stdout) as SearchResponse).hits.map(
        (hit) => hit.notePath,
      );
    expect(await search('--tag', 'work')).toEqual(['work/taxes.md']);
    expect(await search('--path', 'work/**')).toEqual(['work/taxes.md']);
    expect(await search('--limit', '1')).toEqual(['garden.md']);
    expect(await search('--after', '2999-01-01')).toEqual([]);
    expect(await search('--before', '2999-01-01', '--mode', 'text')).toHaveLength(2);
    const otherDir = path.join(tempDir, 'other');
    await fs.mkdir(otherDir);
    await fs.writeFile(path.join(otherDir, 'salad.md'), '# Salad\n\nSlice the tomatoes thinly.\n');
    await run('add', otherDir);
    expect(await search()).toContain('salad.md');
    expect(await search('--folder', notesDir)).not.toContain('salad.md');
    expect(await search('--folder', otherDir)).toEqual(['salad.md']);
  });

  it('highlights matches in bold on a terminal', async () => {
    const { run } = setup({ stdoutTTY: true });
    await run('add', notesDir);
    const { stdout } = await run('search', 'rope');
    expect(stdout).toContain('buy \u001b[1mrope\u001b[22m');
  });

  it('prints status, report and removes a folder by path or id', async () => {
    const { run, folderId } = setup();
    await run('add', notesDir);
    const id = await folderId();
    const status = JSON.parse((await run('status', '--json')).stdout) as StatusInfo;
    expect(status).toMatchObject({ folders: 1, notes: 3, currentVersion: 'v0' });
    expect((await run('status')).stdout).toMatch(/Notes:\s+3 \(4 chunks\)/);
    const report = JSON.parse((await run('report', id, '--json')).stdout) as ImportReport;
    expect(report).toMatchObject({ folderId: id, added: 3, skipped: [] });
    expect((await run('report', notesDir)).stdout).toContain('added 3, updated 0');
    const removed = await run('remove', notesDir);
    expect(removed.code).toBe(0);
    expect(JSON.parse((await run('folders', '--json')).stdout)).toEqual([]);
  });

  it('syncs one folder or all', async () => {
    const { run } = setup();
    await run('add', notesDir);
    await fs.writeFile(path.join(notesDir, 'new.md'), '# New\n\nfresh words\n');
    const synced = await run('sync', notesDir);
    expect(synced.code).toBe(0);
    expect(synced.stdout).toBe(`Synced ${notesDir}: 1 added, 0 updated, 0 removed, 0 renamed, 0 skipped.\n`);
    expect((await run('sync')).code).toBe(0);
    expect((await run('search', 'fresh', '--json')).stdout).toContain('new.md');
  });
});

describe('errors', () => {
  it('maps error codes to exit codes with one line on stderr', async () => {
    const { run } = setup();
    const missing = await run('remove', 'nothing-here');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toBe(
      'driftless: No added folder matches "nothing-here"; see `driftless folders`.\n',
    );
    await run('add', notesDir);
    expect((await run('add', notesDir)).code).toBe(4);
    const tooMany = await run('search', 'x', '--limit', '500');
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toContain('limit');
    expect((await run('search', 'x', '--after', 'someday')).code).toBe(2);
    expect((await run('sync', 'nowhere')).code).toBe(3);
  });

  it('fails with exit code 1 when the import job fails', async () => {
    // A folder named like a note is only walked into by the real import; an encoder that fails is
    // a failure every import meets the same way (onnxruntime out of memory, a corrupt model).
    const broken = () =>
      Object.assign(new LinearEncoder(FIXTURE_DIMS, 'v0'), {
        embedDocuments: () => Promise.reject(new Error('the encoder ran out of memory')),
      });
    const { run } = setup({ encoder: broken });
    const result = await run('add', notesDir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^driftless: Import .* failed: the encoder ran out of memory\n$/);
  });
});

describe('long work', () => {
  it('shows a progress bar with counts on a terminal only', async () => {
    const quiet = setup();
    expect((await quiet.run('add', notesDir)).stderr).toBe('');
    const tty = setup({ stderrTTY: true });
    const { stderr, code } = await tty.run('--data-dir', path.join(tempDir, 'tty'), 'add', notesDir);
    expect(code).toBe(0);
    expect(stderr).toContain('3/3');
    expect(stderr).toContain('finished');
  });

  it('cancels the running job on Ctrl-C and exits 130', async () => {
    for (let index = 0; index < 150; index += 1)
      await fs.writeFile(path.join(notesDir, `n${index}.md`), `note ${index}\n`);
    // The import's first batch (64 notes) holds until the CLI has asked the app to cancel, so the
    // cancel lands mid-import on any machine: the batch commits and the job stops at its checkpoint.
    let cancelAsked!: () => void;
    const cancelling = new Promise<void>((resolve) => (cancelAsked = resolve));
    const interrupts = { fire: () => undefined as void };
    const gated = (): Encoder => {
      const encoder = new LinearEncoder(FIXTURE_DIMS, 'v0');
      const embed = encoder.embedDocuments.bind(encoder);
      return Object.assign(encoder, {
        embedDocuments: async (texts: readonly string[]) => {
          interrupts.fire();
          await cancelling;
          return embed(texts);
        },
      });
    };
    const jobs: JobInfo[] = [];
    const machine = setup({
      encoder: gated,
      onOpen: (app) => {
        const cancelJob = app.api.cancelJob;
        app.api.cancelJob = async (args) => {
          const job = await cancelJob(args);
          cancelAsked();
          return job;
        };
        app.events.on((event) => void (event.type === 'job' && jobs.push(event.job)));
      },
    });
    interrupts.fire = () => machine.interrupts.fire();
    const result = await machine.run('add', notesDir);
    expect(result.code).toBe(130);
    expect(result.stderr).toBe('driftless: Cancelled.\n');
    const last = jobs.filter((job) => job.label === jobs.at(-1)?.label).at(-1);
    expect(last).toMatchObject({ kind: 'import', state: 'cancelled', done: 64, total: 153 });
    expect(machine.interrupts.listeners).toBe(0);
    // Only the committed batch is in the index; the rest waits for the next sync.
    const folders = JSON.parse((await machine.run('folders', '--json')).stdout) as FolderInfo[];
    expect(folders[0]?.notes).toBe(64);
  });
});

describe('serve', () => {
  it('serves until interrupted, prints the tokened URL and closes cleanly', async () => {
    const staticDir = path.join(tempDir, 'dist');
    await fs.mkdir(staticDir);
    await fs.writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Driftless</title>');
    const { openFixtureApp, opened: options, closed } = setup();
    const interrupts = new ManualInterrupts();
    const stdout = new CapturedStream();
    const stderr = new CapturedStream();
    const opened: string[] = [];
    const running = main(['--data-dir', path.join(tempDir, 'data'), 'serve', '--port', '0'], {
      openApp: openFixtureApp,
      stdout,
      stderr,
      onInterrupt: interrupts.subscribe,
      staticDir,
      openUrl: (url) => opened.push(url),
    });
    // The URL is printed first, then the launcher page is written and opened: wait for the opening
    // itself (under load, polling for the printed line alone could look before the page was opened).
    await expect.poll(() => opened).toHaveLength(1);
    expect(stdout.text).toContain('Press Ctrl-C');
    const url = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(stdout.text)?.[1] ?? '';
    const token = new URLSearchParams(new URL(url).hash.slice(1)).get('token') ?? '';
    expect(token).toMatch(/^[\w-]{43}$/);
    // The opener (and so every command line it starts) gets a private launcher page, not the token.
    expect(opened[0]).toMatch(/^file:\/\//);
    expect(opened[0]).not.toContain(token);
    const launcher = fileURLToPath(opened[0]!);
    expect((await fs.stat(launcher)).mode & 0o777).toBe(0o600);
    expect((await fs.stat(path.dirname(launcher))).mode & 0o777).toBe(0o700);
    expect(await fs.readFile(launcher, 'utf8')).toContain(`content="0;url=${url}"`);
    expect(options[0]?.watch).toBe(true);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie')).toBeNull();
    const status = await fetch(new URL('/api/status', url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(await status.json()).toMatchObject({ ok: true, value: { folders: 0 } });
    interrupts.fire();
    expect(await running).toBe(0);
    expect(closed).toEqual([path.join(tempDir, 'data')]);
    expect(stderr.text).toBe('');
    await expect(fetch(new URL('/api/status', url), { method: 'POST' })).rejects.toThrow();
    await expect(fs.stat(path.dirname(launcher))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('does not open a browser with --no-open and warns when the window is not built', async () => {
    const interrupts = new ManualInterrupts();
    const stdout = new CapturedStream();
    const stderr = new CapturedStream();
    const opened: string[] = [];
    const running = main(['--data-dir', path.join(tempDir, 'data'), 'serve', '--no-open'], {
      openApp: setup().openFixtureApp,
      stdout,
      stderr,
      onInterrupt: interrupts.subscribe,
      staticDir: path.join(tempDir, 'missing'),
      openUrl: (url) => opened.push(url),
    });
    await expect.poll(() => stdout.text).toContain('Press Ctrl-C');
    interrupts.fire();
    expect(await running).toBe(0);
    expect(opened).toEqual([]);
    expect(stderr.text).toContain('npm run build:renderer');
  });
});
