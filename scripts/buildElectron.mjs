#!/usr/bin/env node
// Bundles the Electron shell (main, preload, core worker, heavy-work thread) into dist/electron/. esbuild ships with
// tsx, so it is loaded from there. Packages stay external: native modules load from node_modules.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const esbuild = createRequire(require.resolve('tsx/package.json'))('esbuild');
const outdir = path.join(root, 'dist', 'electron');

const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'info',
  external: ['electron'],
  absWorkingDir: root,
};

await Promise.all([
  // Main process and core worker: ESM, matching "type": "module" and package.json "main".
  esbuild.build({
    ...shared,
    // heavyWork.js is core/jobs/offThread's worker thread; workerEntry() finds it beside worker.js.
    entryPoints: {
      main: 'electron/main.ts',
      worker: 'electron/worker.ts',
      heavyWork: 'core/jobs/offThread/worker.ts',
    },
    outdir,
    format: 'esm',
    packages: 'external',
    // Bundled CommonJS dependencies of core may call require(); give ESM output one.
    banner: {
      js: "import { createRequire as __driftlessCreateRequire } from 'node:module'; const require = __driftlessCreateRequire(import.meta.url);",
    },
  }),
  // Sandboxed preloads must be a single CommonJS file that requires nothing but 'electron'.
  esbuild.build({
    ...shared,
    entryPoints: ['electron/preload.ts'],
    outfile: path.join(outdir, 'preload.cjs'),
    format: 'cjs',
  }),
]);
