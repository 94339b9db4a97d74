#!/usr/bin/env node
// The `driftless` command line. Runs the bundle of scripts/buildCli.mjs when it was built from exactly
// the current sources (bin/builtCli.mjs), which starts without transpiling anything. Otherwise (a fresh
// clone, an edit, a `git pull`) runs the TypeScript sources through tsx, as correct and slower, and
// rebuilds the bundle in the background for the next start. DRIFTLESS_CLI=sources always runs the
// sources and builds nothing.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtCliEntry } from './builtCli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sourcesOnly = process.env.DRIFTLESS_CLI === 'sources';
const entry = sourcesOnly ? undefined : builtCliEntry(root);
const { main } = (entry && (await importBundle(entry))) || (await fromSources());
process.exitCode = await main(process.argv.slice(2));

/** A bundle that cannot load (a file of it removed by hand) is no reason to fail: the sources can. */
async function importBundle(url) {
  try {
    return await import(url);
  } catch {
    return undefined;
  }
}

async function fromSources() {
  if (!sourcesOnly) rebuildInBackground();
  const { register } = await import('tsx/esm/api');
  register();
  return await import('../core/cli/main.ts');
}

/** Detached and silent: the command's own output and exit never wait for the build. */
function rebuildInBackground() {
  const script = path.join(root, 'scripts', 'buildCli.mjs');
  const child = spawn(process.execPath, [script, '--if-stale', '--quiet'], {
    cwd: root,
    detached: true,
    stdio: 'ignore',
    windowsHide: true,
  });
  child.on('error', () => undefined);
  child.unref();
}
