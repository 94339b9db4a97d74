import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DriftlessError } from '../base/index.ts';
import { watchFolder } from './index.ts';
import type { FolderChanges } from './types.ts';
import type { FolderWatcher } from './watch.ts';

let base: string;
let root: string;
let watcher: FolderWatcher | undefined;

beforeEach(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-watch-'));
  root = path.join(base, 'notes');
  await fs.mkdir(root);
});

afterEach(async () => {
  await watcher?.close();
  watcher = undefined;
  await fs.rm(base, { recursive: true, force: true });
});

async function put(rel: string, content = `note ${rel}`): Promise<void> {
  const file = path.join(root, rel);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, content);
}

/** Polls until `check` holds; the limit only stops a broken test from hanging. */
async function eventually(check: () => boolean, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function start(options: Parameters<typeof watchFolder>[1] = {}) {
  const batches: FolderChanges[] = [];
  const errors: DriftlessError[] = [];
  watcher = watchFolder(
    root,
    { debounceMs: 250, onError: (error) => errors.push(error), ...options },
    (changes) => batches.push(changes),
  );
  const changed = () => new Set(batches.flatMap((b) => b.changed));
  const removed = () => new Set(batches.flatMap((b) => b.removed));
  return { batches, errors, changed, removed, ready: watcher.ready };
}

describe('watchFolder', () => {
  it('reports added, changed and removed notes in debounced batches of relative paths', async () => {
    await put('existing.md');
    const w = start();
    await w.ready;
    for (const name of ['one.md', 'two.txt', 'sub dir/three.org', 'four.html']) await put(name);
    await fs.appendFile(path.join(root, 'existing.md'), '\nmore');
    const expected = ['existing.md', 'four.html', 'one.md', 'sub dir/three.org', 'two.txt'];
    await eventually(() => expected.every((rel) => w.changed().has(rel)));
    // Five quick writes arrive as fewer batches than events.
    expect(w.batches.length).toBeLessThan(expected.length);
    expect([...w.changed()].sort()).toEqual(expected);

    await fs.rm(path.join(root, 'one.md'));
    await eventually(() => w.removed().has('one.md'));
    expect(w.batches.at(-1)).toEqual({ changed: [], removed: ['one.md'] });
    expect(w.errors).toEqual([]);
  });

  it('applies the scan ignore rules: hidden folders, .gitignore, caller patterns, other formats', async () => {
    await put('.gitignore', 'skipped.md\n');
    const w = start({ ignore: ['drafts/'] });
    await w.ready;
    await put('.hidden/h.md');
    await put('node_modules/m.md');
    await put('skipped.md');
    await put('drafts/d.md');
    await put('picture.png');
    await put('last.md');
    await eventually(() => w.changed().has('last.md'));
    // A note written after everything else and seen: any stray event of the earlier files came first.
    await put('after.md');
    await eventually(() => w.changed().has('after.md'));
    expect([...w.changed()]).toEqual(['last.md', 'after.md']);
  });

  it('reports the notes of a removed subfolder as removed', async () => {
    await put('sub/inner/n.md');
    await put('sub/m.md');
    const w = start();
    await w.ready;
    await fs.rm(path.join(root, 'sub'), { recursive: true });
    await eventually(() => w.removed().size >= 2);
    expect([...w.removed()].sort()).toEqual(['sub/inner/n.md', 'sub/m.md']);
  });

  it('picks up a changed .gitignore for later events', async () => {
    await put('before.md');
    const w = start();
    await w.ready;
    await put('.gitignore', 'later.md\n');
    // Rules refresh on the .gitignore's own event: a note written after it and seen means it came.
    await put('probe.md');
    await eventually(() => w.changed().has('probe.md'));
    await put('later.md');
    await put('marker.md');
    await eventually(() => w.changed().has('marker.md'));
    await put('after.md');
    await eventually(() => w.changed().has('after.md'));
    expect(w.changed().has('later.md')).toBe(false);
  });

  it('reports a folder that does not exist', async () => {
    root = path.join(base, 'missing');
    const w = start({ debounceMs: 20 });
    await w.ready;
    await eventually(() => w.errors.length > 0);
    expect(w.errors.map((e) => e.code)).toEqual(['NOT_FOUND']);
  });

  it('reports the folder itself being removed, without throwing', async () => {
    await put('a.md');
    const w = start({ debounceMs: 50 });
    await w.ready;
    await fs.rm(root, { recursive: true, force: true });
    await eventually(() => w.errors.length > 0);
    expect(w.errors[0]!.code).toBe('NOT_FOUND');
    await watcher!.close();
    await watcher!.close();
  });
});
