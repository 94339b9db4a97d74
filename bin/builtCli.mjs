// Finds the prebuilt command line (scripts/buildCli.mjs) that matches the sources exactly. Its manifest
// lists every source file the bundle was built from with a hash of the content esbuild read; the bundle
// counts as current only when every one of them still hashes the same, so an edit, a `git pull` or a
// branch switch can never run old code. Hashing the ~300 inputs costs a few milliseconds per start.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where the bundles and their manifest live, relative to the package root (git-ignored). */
export const BUILD_DIR = 'dist';
export const MANIFEST = 'cli.json';

/** The content hash a manifest records for a file. */
export function contentHash(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The file URL of the bundle's main.js when the last build matches the sources under `root`, else
 * undefined (no build yet, an unreadable manifest, or any input changed or gone).
 */
export function builtCliEntry(root) {
  const buildDir = path.join(root, BUILD_DIR);
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(buildDir, MANIFEST), 'utf8'));
    for (const [file, hash] of Object.entries(manifest.inputs)) {
      if (contentHash(fs.readFileSync(path.join(root, file))) !== hash) return undefined;
    }
  } catch {
    return undefined;
  }
  if (!/^cli-[0-9a-f]+$/.test(String(manifest.dir))) return undefined;
  const entry = path.join(buildDir, manifest.dir, 'main.js');
  return fs.existsSync(entry) ? pathToFileURL(entry).href : undefined;
}
