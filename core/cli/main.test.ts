import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppOptions } from '../app/types.ts';
import type { FolderInfo, ImportReport, SearchResponse, StatusInfo } from '../service/index.ts';
import { createMemoryApp, type MemoryAppOptions } from '../service/testing/memoryApp.ts';
import { main } from './main.ts';
import { CapturedStream, ManualInterrupts } from './testing.ts';

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

/** One CLI "machine": a memory app that persists across main() calls, like a data folder would. */
function setup(options: MemoryAppOptions & { stdoutTTY?: boolean; stderrTTY?: boolean } = {}) {
  const app = createMemoryApp(options);
  const opened: AppOptions[] = [];
  const interrupts = new ManualInterrupts();
  const run = async (...argv: string[]) => {
    const stdout = new CapturedStream(options.stdoutTTY);
    const stderr = new CapturedStream(options.stderrTTY);
    const code = await main(argv, {
      openApp: async (appOptions) => (opened.push(appOptions), app),
      stdout,
      stderr,
      onInterrupt: interrupts.subscribe,
      env: { DRIFTLESS_DATA_DIR: path.join(tempDir, 'default-data') },
      openUrl: () => undefined,
    });
    return { code, stdout: stdout.text, stderr: stderr.text };
  };
  return { app, opened, interrupts, run };
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
    const { run, opened, app } = setup();
    await run('--data-dir', path.join(tempDir, 'mine'), 'status');
    await run('status');
    expect(opened.map((options) => options.dataDir)).toEqual([
      path.join(tempDir, 'mine'),
      path.join(tempDir, 'default-data'),
    ]);
    expect(opened[0]?.watch).toBe(false);
    expect(app.closed).toBe(true);
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
    const { run } = setup();
    const added = await run('add', notesDir);
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toMatch(/^Added .*notes \(folder-1\): 3 notes, 3 chunks, 0 skipped\.\n$/);

    const folders = JSON.parse((await run('folders', '--json')).stdout) as FolderInfo[];
    expect(folders).toEqual([expect.objectContaining({ id: 'folder-1', root: notesDir, notes: 3 })]);
    expect((await run('folders')).stdout).toContain(notesDir);

    const response = JSON.parse((await run('search', 'tomatoes', '--json')).stdout) as SearchResponse;
    expect(response.query).toBe('tomatoes');
    expect(response.hits.map((hit) => hit.notePath)).toEqual(['garden.md', 'work/taxes.md']);

    const human = await run('search', 'plant', 'tomatoes');
    expect(human.stdout).toContain('1. Garden — notes/garden.md › Spring\n');
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
    expect(await search('--folder', notesDir)).toHaveLength(2);
    expect(await search('--after', '2999-01-01')).toEqual([]);
    expect(await search('--before', '2999-01-01', '--mode', 'text')).toHaveLength(2);
  });

  it('highlights matches in bold on a terminal', async () => {
    const { run } = setup({ stdoutTTY: true });
    await run('add', notesDir);
    const { stdout } = await run('search', 'rope');
    expect(stdout).toContain('buy \u001b[1mrope\u001b[22m');
  });

  it('prints status, report and removes a folder by path or id', async () => {
    const { run } = setup();
    await run('add', notesDir);
    const status = JSON.parse((await run('status', '--json')).stdout) as StatusInfo;
    expect(status).toMatchObject({ folders: 1, notes: 3, currentVersion: 'v0' });
    expect((await run('status')).stdout).toMatch(/Notes:\s+3 \(3 chunks\)/);
    const report = JSON.parse((await run('report', 'folder-1', '--json')).stdout) as ImportReport;
    expect(report).toMatchObject({ folderId: 'folder-1', added: 3, skipped: [] });
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
    expect(synced.stdout).toContain(`Synced ${notesDir}: 4 added`);
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
    const { run } = setup();
    await fs.mkdir(path.join(notesDir, 'folder.md'));
    const result = await run('add', notesDir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^driftless: Import .* failed: .*EISDIR/);
  });
});

describe('long work', () => {
  it('shows a progress bar with counts on a terminal only', async () => {
    const quiet = setup();
    expect((await quiet.run('add', notesDir)).stderr).toBe('');
    const tty = setup({ stderrTTY: true });
    const { stderr, code } = await tty.run('add', notesDir);
    expect(code).toBe(0);
    expect(stderr).toContain('3/3');
    expect(stderr).toContain('finished');
  });

  it('cancels the running job on Ctrl-C and exits 130', async () => {
    for (let index = 0; index < 20; index += 1)
      await fs.writeFile(path.join(notesDir, `n${index}.md`), `note ${index}\n`);
    const { run, app, interrupts } = setup({ stepDelayMs: 5 });
    const stop = app.events.on((event) => {
      if (event.type === 'job' && event.job.done === 2) interrupts.fire();
    });
    const result = await run('add', notesDir);
    stop();
    expect(result.code).toBe(130);
    expect(result.stderr).toBe('driftless: Cancelled.\n');
    const jobs = await app.api.listJobs({});
    expect(jobs.map((job) => job.state)).toEqual(['cancelled']);
    expect(jobs[0]?.done).toBeLessThan(23);
    expect(interrupts.listeners).toBe(0);
  });
});

describe('serve', () => {
  it('serves until interrupted, prints the tokened URL and closes cleanly', async () => {
    const staticDir = path.join(tempDir, 'dist');
    await fs.mkdir(staticDir);
    await fs.writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Driftless</title>');
    const app = createMemoryApp();
    const interrupts = new ManualInterrupts();
    const stdout = new CapturedStream();
    const stderr = new CapturedStream();
    const opened: string[] = [];
    const options: AppOptions[] = [];
    const running = main(['serve', '--port', '0'], {
      openApp: async (appOptions) => (options.push(appOptions), app),
      stdout,
      stderr,
      onInterrupt: interrupts.subscribe,
      staticDir,
      openUrl: (url) => opened.push(url),
    });
    await expect.poll(() => stdout.text).toContain('Press Ctrl-C');
    const url = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(stdout.text)?.[1] ?? '';
    const token = new URLSearchParams(new URL(url).hash.slice(1)).get('token') ?? '';
    expect(token).toMatch(/^[\w-]{43}$/);
    // The opener (and so every command line it starts) gets a private launcher page, not the token.
    expect(opened).toHaveLength(1);
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
    expect(app.closed).toBe(true);
    expect(stderr.text).toBe('');
    await expect(fetch(new URL('/api/status', url), { method: 'POST' })).rejects.toThrow();
    await expect(fs.stat(path.dirname(launcher))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('does not open a browser with --no-open and warns when the window is not built', async () => {
    const interrupts = new ManualInterrupts();
    const stdout = new CapturedStream();
    const stderr = new CapturedStream();
    const opened: string[] = [];
    const running = main(['serve', '--no-open'], {
      openApp: async () => createMemoryApp(),
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
