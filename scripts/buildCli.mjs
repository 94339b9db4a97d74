#!/usr/bin/env node
// Bundles the `driftless` command line into dist/cli-<id>/ so it starts without transpiling
// TypeScript. bin/driftless.mjs runs it in the background when the bundle is missing or stale;
// `npm run build:cli` runs it by hand. With --if-stale it does nothing when the bundle is current.
//
// Code splitting keeps every dynamic import() a separate file, so --help never loads LanceDB or
// onnxruntime; packages stay external (native modules load from node_modules). Each build gets its
// own folder named by its inputs' hash: a long-running `driftless serve` keeps loading its own lazy
// chunks and worker after a newer build lands. The folder sits two levels below the package root,
// like dist/electron/, so the sources' `new URL('../../…', import.meta.url)` paths still resolve.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_DIR, MANIFEST, builtCliEntry, contentHash } from '../bin/builtCli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Files that shape the output without being bundled: this script, compiler settings, package type. */
const SETTINGS_FILES = ['scripts/buildCli.mjs', 'tsconfig.json', 'package.json'];
/** esbuild's loaders for the files the bundle may read (every one of them is hashed). */
const LOADERS = { '.ts': 'ts', '.mts': 'ts', '.js': 'js', '.mjs': 'js', '.json': 'json' };
/** A lock older than this belongs to a build that died; the next build takes it over. */
const STALE_LOCK_MS = 120_000;
/** Builds kept besides the current one, for processes still running them (see above). */
const KEEP_OLDER_BUILDS = 2;

/**
 * Builds the bundle and makes it current; resolves to its folder, or undefined when another build
 * holds the lock. Inputs are hashed as esbuild reads them, so a file edited during the build makes
 * the result stale rather than wrong.
 */
export async function buildCli() {
  const buildDir = path.join(root, BUILD_DIR);
  fs.mkdirSync(buildDir, { recursive: true });
  const lock = path.join(buildDir, 'cli.lock');
  if (!takeLock(lock)) return undefined;
  try {
    const inputs = await bundle(path.join(buildDir, `cli-tmp-${process.pid}`));
    const id = contentHash(JSON.stringify(Object.entries(inputs).sort())).slice(0, 16);
    const dir = `cli-${id}`;
    publish(path.join(buildDir, `cli-tmp-${process.pid}`), path.join(buildDir, dir));
    prune(buildDir, dir);
    const manifest = path.join(buildDir, MANIFEST);
    fs.writeFileSync(`${manifest}.${process.pid}`, `${JSON.stringify({ dir, inputs }, null, 2)}\n`);
    fs.renameSync(`${manifest}.${process.pid}`, manifest);
    return dir;
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

async function bundle(outdir) {
  const require = createRequire(import.meta.url);
  // esbuild ships with tsx, so it is loaded from there (as scripts/buildElectron.mjs does).
  const esbuild = createRequire(require.resolve('tsx/package.json'))('esbuild');
  const inputs = {};
  for (const file of SETTINGS_FILES) inputs[file] = contentHash(fs.readFileSync(path.join(root, file)));
  const hashInputs = {
    name: 'hash-inputs',
    setup(build) {
      build.onLoad({ filter: /.*/ }, (args) => {
        const loader = LOADERS[path.extname(args.path)];
        if (!loader) throw new Error(`no loader for ${args.path}: add its extension to LOADERS`);
        const contents = fs.readFileSync(args.path);
        inputs[path.relative(root, args.path).split(path.sep).join('/')] = contentHash(contents);
        return { contents, loader };
      });
    },
  };
  fs.rmSync(outdir, { recursive: true, force: true });
  await esbuild.build({
    // heavyWork.js is core/jobs/offThread's worker thread; workerEntry() finds it beside the chunks.
    entryPoints: { main: 'core/cli/main.ts', heavyWork: 'core/jobs/offThread/worker.ts' },
    outdir,
    absWorkingDir: root,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    plugins: [hashInputs],
    logLevel: 'warning',
    // Bundled code that calls require() gets one, as in the Electron bundle.
    banner: {
      js: "import { createRequire as __driftlessCreateRequire } from 'node:module'; const require = __driftlessCreateRequire(import.meta.url);",
    },
  });
  return inputs;
}

/** Moves a finished build into place; an identical build already there (same inputs) is kept. */
function publish(from, to) {
  try {
    fs.renameSync(from, to);
  } catch (error) {
    if (!fs.existsSync(to)) throw error;
    fs.rmSync(from, { recursive: true, force: true });
  }
}

/** Removes builds beyond the newest few, and folders of builds that died. */
function prune(buildDir, current) {
  const builds = fs
    .readdirSync(buildDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.startsWith('cli-') && entry.name !== current)
    .map((entry) => ({ name: entry.name, mtimeMs: fs.statSync(path.join(buildDir, entry.name)).mtimeMs }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  const unfinished = builds.filter((build) => build.name.startsWith('cli-tmp-'));
  const finished = builds.filter((build) => !build.name.startsWith('cli-tmp-'));
  const old = [
    ...unfinished.filter((build) => Date.now() - build.mtimeMs > STALE_LOCK_MS),
    ...finished.slice(KEEP_OLDER_BUILDS),
  ];
  for (const build of old) fs.rmSync(path.join(buildDir, build.name), { recursive: true, force: true });
}

/** One build at a time: many stale starts at once (a script in a loop) must not start many builds. */
function takeLock(lock) {
  try {
    fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
    const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    if (age < STALE_LOCK_MS) return false;
    fs.rmSync(lock, { force: true });
    return takeLock(lock);
  }
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-stale') && builtCliEntry(root)) process.exit(0);
  const dir = await buildCli();
  if (!process.argv.includes('--quiet'))
    console.log(dir ? `built ${BUILD_DIR}/${dir}` : 'another build is running; left it to finish');
}
