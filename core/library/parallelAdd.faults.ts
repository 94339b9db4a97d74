import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsChild, type ChildResult } from '../testing/faults/childProcess.ts';
import { NoteIndex } from '../store/index.ts';
import { FolderRegistry } from './folderRegistry.ts';

let root: string;
beforeAll(async () => (root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-parallel-add-'))));
afterAll(() => fs.rm(root, { recursive: true, force: true }));

const LOCKED_MESSAGE = /is writing to this data folder|already writing to the data folder/;

async function noteFolder(name: string): Promise<string> {
  const dir = path.join(root, name);
  await fs.mkdir(dir);
  for (let i = 0; i < 3; i++)
    await fs.writeFile(path.join(dir, `${name}-${i}.md`), `# ${name} ${i}\n\nText.`);
  return fs.realpath(dir);
}

/** Finished, or refused to import because another add held the writer lock (exit 5, a clear message). */
function addOutcome(run: ChildResult): string {
  if (run.stdout.includes('exit 0')) return 'added';
  if (run.stdout.includes('exit 5') && LOCKED_MESSAGE.test(run.stderr)) return 'registered, import refused';
  return `unexpected: ${run.stdout} ${run.stderr}`;
}

describe('four `driftless add` of different folders at the same moment', () => {
  it('registers all four, and leaves no notes of a folder the list does not name', async () => {
    const folders = await Promise.all(['north', 'south', 'east', 'west'].map(noteFolder));
    const dataDir = path.join(root, 'data');
    const barrier = path.join(root, 'go');
    const ready = new Set<number>();
    const runs = await Promise.all(
      folders.map((folder, i) =>
        runTsChild('core/testing/faults/cliChild.ts', ['--data-dir', dataDir, 'add', folder], {
          env: { DRIFTLESS_BARRIER: barrier },
          onStdout: (text) => {
            if (text.includes('ready')) ready.add(i);
            if (ready.size === folders.length) void fs.writeFile(barrier, '');
          },
        }),
      ),
    );
    for (const run of runs) expect(['added', 'registered, import refused']).toContain(addOutcome(run));
    const registered = (await FolderRegistry.open(dataDir)).list();
    expect(registered.map((folder) => folder.root).sort()).toEqual([...folders].sort());

    // A sync imports what a refused add could not; then every folder's notes are there, no others.
    const sync = await runTsChild('core/testing/faults/cliChild.ts', ['--data-dir', dataDir, 'sync']);
    expect(sync.stdout).toContain('exit 0');
    const index = await NoteIndex.open(path.join(dataDir, 'index'), { dimensions: 512 });
    try {
      expect((await index.folderIds()).sort()).toEqual(registered.map((folder) => folder.id).sort());
      for (const folder of registered) expect(await index.listNotes(folder.id)).toHaveLength(3);
    } finally {
      await index.close();
    }
  });
});
