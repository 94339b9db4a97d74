#!/usr/bin/env node
// `npm start`: the desktop app when Electron is installed, else the same window in web mode.
// Builds the renderer first when its bundle is missing or older than its sources.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rendererSources = ['renderer/src', 'renderer/index.html', 'renderer/vite.config.ts', 'core/service'];
const rendererBundle = path.join(root, 'renderer', 'dist', 'index.html');

/** The Electron binary when the package and its downloaded binary are both present. */
function electronBinary() {
  try {
    const packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const pathFile = path.join(packageDir, 'path.txt');
    if (!fs.existsSync(pathFile)) return undefined;
    const binary = path.join(packageDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
    return fs.existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

function newestMtime(target) {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(
    stat.mtimeMs,
    ...fs.readdirSync(target).map((name) => newestMtime(path.join(target, name))),
  );
}

function rendererIsStale() {
  const built = fs.statSync(rendererBundle, { throwIfNoEntry: false });
  if (!built) return true;
  return rendererSources.some((source) => newestMtime(path.join(root, source)) > built.mtimeMs);
}

async function buildRenderer() {
  if (!rendererIsStale()) return;
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}

/** Runs a child with this terminal, and exits with its code (signals are passed on). */
function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

await buildRenderer();
const binary = electronBinary();
if (binary) {
  await import('./buildElectron.mjs');
  run(binary, [root, ...process.argv.slice(2)]);
} else {
  console.log('Electron is not installed on this machine; serving the same window in web mode instead.');
  run(process.execPath, [path.join(root, 'bin', 'driftless.mjs'), 'serve', ...process.argv.slice(2)]);
}
