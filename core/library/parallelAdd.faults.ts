import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsChild } from '../testing/faults/childProcess.ts';
import { NoteIndex } from '../store/index.ts';
import { FolderRegistry } from './folderRegistry.ts';

let root: string;
beforeAll(async () => (root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-parallel-add-'))));
afterAll(() => fs.rm(root, { recursive: true, force: true }));

async function noteFolder(name: string): Promise<string> {
  const dir = path.join(root, name);
  await fs.mkdir(dir);
  for (let i = 0; i < 3; i++)
    await fs.writeFile(path.join(dir, `${name}-${i}.md`), `# ${name} ${i}\n\nText.`);
  return fs.realpath(dir);
}

describe('four `driftless add` of different folders at the same moment', () => {
  it('registers and imports all four, taking turns at the writer lock, and leaves no orphan notes', async () => {
    const folders = await Promise.all(['north', 'south', 'east', 'west'].map(noteFolder));
    const dataDir = path.join(root, 'data');
    const barrier = path.join(root, 'go');
    // Released once every child is at the barrier or gone: a child that fails before it gets there
    // shows up as its own exit code below, not as the others waiting forever.
    const settled = new Set<number>();
    const settle = (i: number) => {
      settled.add(i);
      if (settled.size === folders.length) void fs.writeFile(barrier, '');
    };
    const runs = await Promise.all(
      folders.map((folder, i) =>
        runTsChild('core/testing/faults/cliChild.ts', ['--data-dir', dataDir, 'add', folder], {
          env: { DRIFTLESS_BARRIER: barrier },
          onStdout: (text) => text.includes('ready') && settle(i),
        }).finally(() => settle(i)),
      ),
    );
    // Each waits its turn at the writer lock (old code: an add refused with exit 5 while another wrote).
    for (const run of runs) expect(run.stdout, run.stderr).toContain('exit 0');
    const registered = (await FolderRegistry.open(dataDir)).list();
    expect(registered.map((folder) => folder.root).sort()).toEqual([...folders].sort());
    const index = await NoteIndex.open(path.join(dataDir, 'index'), { dimensions: 512 });
    try {
      expect((await index.folderIds()).sort()).toEqual(registered.map((folder) => folder.id).sort());
      for (const folder of registered) expect(await index.listNotes(folder.id)).toHaveLength(3);
    } finally {
      await index.close();
    }
  });
});
