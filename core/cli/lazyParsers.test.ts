import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, writeImportRecorder } from '../testing/index.ts';
import { REPO_ROOT } from '../testing/faults/childProcess.ts';

// Issue 15: a one-shot `driftless search` never parses a note, so it must not load the Markdown,
// HTML, Org or front-matter parsers (about 190 modules); an import must. Both run as real command
// lines in child processes, on the TypeScript sources (whose module paths name the parsers), with a
// module.register hook that writes every module they import to a file.

/** The parser modules of ingest, and the packages only they import. */
const PARSER_MODULES = ['markdown.ts', 'markdownTree.ts', 'html.ts', 'org.ts', 'frontMatter.ts'].map(
  (file) => `core/ingest/parse/${file}`,
);
const PARSER_PACKAGES = [
  'htmlparser2',
  'mdast-util-from-markdown',
  'mdast-util-gfm',
  'micromark',
  'micromark-extension-gfm',
  'yaml',
];
/** Child processes on the sources through tsx, each loading the app, on a loaded machine. */
const SLOW = 120_000;

let dir: string;
let remove: () => Promise<void>;

beforeAll(async () => {
  ({ dir, remove } = await makeTempDir('driftless-lazy-parsers-'));
  const notes = path.join(dir, 'notes');
  await fs.mkdir(notes);
  await fs.writeFile(
    path.join(notes, 'bread.md'),
    '---\ndate: 2023-05-08\ntags: [baking]\n---\n# Sourdough\n\nFeed the starter twice a day.\n',
  );
  await fs.writeFile(path.join(notes, 'bike.html'), '<h1>Bicycle</h1><p>Oil the chain.</p>');
  await fs.writeFile(path.join(notes, 'garden.org'), '#+TITLE: Garden\n* Tomatoes\nWater them.\n');
  await fs.writeFile(path.join(notes, 'coffee.txt'), 'Grind the beans just before brewing.\n');
  await writeImportRecorder(dir);
}, SLOW);

afterAll(() => remove());

/** Runs `driftless <args>` on the sources; resolves to its stdout and the repository paths it imported. */
async function driftless(...args: string[]): Promise<{ stdout: string; loaded: string[] }> {
  const log = path.join(dir, `imports-${args[0]}.txt`);
  await fs.writeFile(log, '');
  const hook = pathToFileURL(path.join(dir, 'registerHook.mjs')).href;
  const cli = path.join(REPO_ROOT, 'bin', 'driftless.mjs');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', hook, cli, '--data-dir', path.join(dir, 'data'), ...args],
    { cwd: REPO_ROOT, env: { ...process.env, DRIFTLESS_CLI: 'sources', IMPORTS_LOG: log } },
  );
  const root = pathToFileURL(REPO_ROOT).href.replace(/\/?$/, '/');
  const urls = (await fs.readFile(log, 'utf8')).split('\n').filter((url) => url.startsWith(root));
  return { stdout, loaded: [...new Set(urls.map((url) => url.slice(root.length)))] };
}

/** The names among `names` that `loaded` holds: a module path, or a package under node_modules. */
function loadedOf(loaded: string[], names: { modules: string[]; packages: string[] }): string[] {
  const packages = new Set(loaded.map((file) => /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1]));
  return [
    ...names.modules.filter((module) => loaded.includes(module)),
    ...names.packages.filter((name) => packages.has(name)),
  ];
}

describe('the command line loads note parsers only to parse notes', () => {
  const parsers = { modules: PARSER_MODULES, packages: PARSER_PACKAGES };

  it(
    'an import loads every parser, a search of what it imported loads none',
    async () => {
      const added = await driftless('add', path.join(dir, 'notes'));
      expect(added.stdout).toContain('4 notes');
      expect(loadedOf(added.loaded, parsers)).toEqual([...PARSER_MODULES, ...PARSER_PACKAGES]);

      const searched = await driftless('search', 'sourdough starter', '--json');
      expect(searched.stdout).toContain('bread.md');
      // It did load ingest (the format registry, for the store's format names), not the parsers.
      expect(searched.loaded).toContain('core/ingest/formats/markdown.ts');
      expect(loadedOf(searched.loaded, parsers)).toEqual([]);
    },
    SLOW,
  );
});
