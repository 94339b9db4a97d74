import { spawn } from 'node:child_process';
import { existsSync, readFileSync, watch } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, writeImportRecorder } from '../testing/index.ts';

// bin/driftless.mjs runs the bundle of scripts/buildCli.mjs while it matches the sources, else the
// sources through tsx (rebuilding in the background). These tests run both in real child processes,
// on a copy of the package so they can edit its sources and its bundle.

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const DESCRIPTION = 'Search your own notes locally';
/** Builds and tsx runs of a whole copy of the package, on a loaded machine. */
const SLOW = 180_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const copies: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const remove of copies) await remove();
});

/** A copy of what the command line needs, with the repository's node_modules linked in. */
async function copyPackage(): Promise<string> {
  const { dir, remove } = await makeTempDir('driftless-prebuilt-');
  copies.push(remove);
  for (const part of ['bin', 'core', 'resources', 'scripts/buildCli.mjs', 'package.json', 'tsconfig.json'])
    await fs.cp(path.join(REPO, part), path.join(dir, part), { recursive: true });
  await fs.symlink(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

function node(root: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const { DRIFTLESS_CLI: _ignored, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...inherited, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const driftless = (root: string, args: string[], env?: NodeJS.ProcessEnv) =>
  node(root, ['bin/driftless.mjs', ...args], env);

async function build(root: string): Promise<string> {
  const run = await node(root, ['scripts/buildCli.mjs']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return manifestDir(root)!;
}

function manifestDir(root: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(path.join(root, 'dist', 'cli.json'), 'utf8')) as { dir: string }).dir;
  } catch {
    return undefined;
  }
}

/** Replaces text in a file of the copy, checking that it was there. */
async function replaceIn(file: string, from: string, to: string): Promise<void> {
  const text = await fs.readFile(file, 'utf8');
  expect(text).toContain(from);
  await fs.writeFile(file, text.replaceAll(from, to));
}

/** Resolves with the new bundle's folder once a build other than `previous` is current and done. */
function nextBuild(root: string, previous: string): Promise<string> {
  const buildDir = path.join(root, 'dist');
  return new Promise((resolve, reject) => {
    const check = () => {
      const dir = manifestDir(root);
      if (!dir || dir === previous || existsSync(path.join(buildDir, 'cli.lock'))) return;
      watcher.close();
      resolve(dir);
    };
    const watcher = watch(buildDir, check);
    watcher.on('error', reject);
    check();
  });
}

/**
 * Records every file under node_modules that the process imports (a module.register resolve hook,
 * which runs on its own thread and so writes to a file); resolves to the packages' names.
 */
async function packagesLoaded(root: string, args: string[]): Promise<string[]> {
  const log = path.join(root, 'loaded.txt');
  await writeImportRecorder(root);
  await fs.writeFile(log, '');
  const run = await node(root, ['--import', './registerHook.mjs', 'bin/driftless.mjs', ...args], {
    IMPORTS_LOG: log,
  });
  expect(run.code).toBe(0);
  const urls = (await fs.readFile(log, 'utf8')).split('\n').filter((url) => url.includes('/node_modules/'));
  return [...new Set(urls.map((url) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)![1]!))].sort();
}

describe('the prebuilt command line', () => {
  let built: string;
  beforeAll(async () => {
    built = await copyPackage();
    await build(built);
  }, SLOW);

  it('loads no package but commander for --help', async () => {
    expect(await packagesLoaded(built, ['--help'])).toEqual(['commander']);
    expect(await packagesLoaded(built, ['search', '--help'])).toEqual(['commander']);
  });

  it(
    'loads the note parsers for an import, and none of them for a search',
    async () => {
      const { dir, remove } = await makeTempDir('driftless-prebuilt-notes-');
      copies.push(remove);
      const notes = path.join(dir, 'notes');
      await fs.mkdir(notes);
      await fs.writeFile(
        path.join(notes, 'bread.md'),
        '---\ndate: 2023-05-08\n---\n# Sourdough\n\nFeed it.\n',
      );
      await fs.writeFile(path.join(notes, 'bike.html'), '<h1>Bicycle</h1><p>Oil the chain.</p>');
      const dataDir = ['--data-dir', path.join(dir, 'data')];
      const parsers = ['htmlparser2', 'mdast-util-from-markdown', 'micromark', 'yaml'];
      expect(await packagesLoaded(built, [...dataDir, 'add', notes])).toEqual(
        expect.arrayContaining(parsers),
      );
      const searched = await packagesLoaded(built, [...dataDir, 'search', 'sourdough']);
      expect(searched).toContain('@lancedb/lancedb');
      expect(searched.filter((name) => parsers.includes(name))).toEqual([]);
    },
    SLOW,
  );

  it(
    'prints the same help, version and usage errors as the sources',
    async () => {
      const root = built;
      for (const args of [['--help'], ['search', '--help'], ['models', '--help'], ['--version'], ['nope']]) {
        const bundled = await driftless(root, args);
        const sources = await driftless(root, args, { DRIFTLESS_CLI: 'sources' });
        expect(bundled).toEqual(sources);
      }
      const help = await driftless(root, ['--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(DESCRIPTION);
    },
    SLOW,
  );

  it(
    'runs the bundle while it matches the sources, the sources once one changed, and rebuilds for the next start',
    async () => {
      const root = await copyPackage();
      const first = await build(root);
      // Marks the bundle itself, so its output tells which of the two ran.
      await replaceIn(path.join(root, 'dist', first, 'main.js'), DESCRIPTION, `Bundled: ${DESCRIPTION}`);
      expect((await driftless(root, ['--help'])).stdout).toContain(`Bundled: ${DESCRIPTION}`);

      await replaceIn(path.join(root, 'core/cli/program.ts'), DESCRIPTION, `Edited: ${DESCRIPTION}`);
      const rebuilt = nextBuild(root, first);
      const stale = await driftless(root, ['--help']);
      expect(stale.code).toBe(0);
      expect(stale.stdout).toContain(`Edited: ${DESCRIPTION}`);
      expect(stale.stdout).not.toContain('Bundled:');

      const second = await rebuilt;
      expect(await fs.readFile(path.join(root, 'dist', second, 'main.js'), 'utf8')).toContain(
        `Edited: ${DESCRIPTION}`,
      );
      await replaceIn(path.join(root, 'dist', second, 'main.js'), 'Edited:', 'Bundled and edited:');
      expect((await driftless(root, ['--help'])).stdout).toContain(`Bundled and edited: ${DESCRIPTION}`);
      // The earlier build stays for processes still running it.
      expect(existsSync(path.join(root, 'dist', first, 'main.js'))).toBe(true);
    },
    SLOW,
  );
});
