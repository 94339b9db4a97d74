import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../app/index.ts';
import { NoteIndex } from '../store/index.ts';

const NOTE_COUNT = 200;
let root: string;
let notesDir: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-crash-'));
  notesDir = path.join(root, 'notes');
  await fs.mkdir(notesDir);
  for (let i = 0; i < NOTE_COUNT; i++) {
    const sections = Array.from(
      { length: 1 + (i % 3) },
      (_, s) => `## Part ${s}\n\nNote ${i} section ${s} talks about topic ${(i * 7 + s) % 13}.`,
    );
    await fs.writeFile(path.join(notesDir, `note-${i}.md`), `# Note ${i}\n\n${sections.join('\n\n')}\n`);
  }
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

/** Runs the import in a child process and SIGKILLs it once `killAfter` notes were reported indexed. */
function importUntilKilled(dataDir: string, killAfter: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['bin/run-ts.mjs', 'core/library/testing/importChild.ts', dataDir, notesDir],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let last = 'nothing';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      last = text.trim().split('\n').at(-1) ?? last;
      const indexed = Number(/indexed (\d+)/.exec(last)?.[1] ?? 0);
      if (indexed >= killAfter) child.kill('SIGKILL');
    });
    child.once('error', reject);
    child.once('exit', () => resolve(last));
  });
}

/** Every committed note with the chunks a search can see for it. */
async function visibleState(dataDir: string) {
  const index = await NoteIndex.open(path.join(dataDir, 'index'), { dimensions: 512 });
  try {
    const registry = JSON.parse(await fs.readFile(path.join(dataDir, 'folders.json'), 'utf8'));
    const notes = await index.listNotes(registry.folders[0].id);
    const chunks = await index.filterSearch({ k: 100_000 });
    const visible = new Map<string, number>();
    for (const chunk of chunks) visible.set(chunk.notePath, (visible.get(chunk.notePath) ?? 0) + 1);
    return notes
      .map((note) => ({
        path: note.notePath,
        hash: note.noteHash,
        chunks: note.chunkCount,
        visible: visible.get(note.notePath) ?? 0,
      }))
      .sort((a, b) => a.path.localeCompare(b.path));
  } finally {
    await index.close();
  }
}

describe('an import killed with SIGKILL', () => {
  it('leaves only whole notes visible and resumes to the same state as an uninterrupted import', async () => {
    const crashed = path.join(root, 'crashed');
    // Notes are counted as they are embedded, before their batch is written: a count past the first
    // batch (64 notes) means that batch is committed and the second is under way.
    const lastLine = await importUntilKilled(crashed, 65);
    expect(lastLine).toMatch(/^indexed/);

    const afterCrash = await visibleState(crashed);
    expect(afterCrash.length).toBeGreaterThan(0);
    expect(afterCrash.length).toBeLessThan(NOTE_COUNT);
    for (const note of afterCrash) expect(note.visible).toBe(note.chunks);

    // The running app finds the interrupted import and resumes it on its own.
    await fs.writeFile(
      path.join(crashed, 'settings.json'),
      JSON.stringify({ adaptation: { enabled: false } }),
    );
    const app = await openApp({ dataDir: crashed, watch: true });
    await app.idle();
    await app.close();

    const reference = path.join(root, 'reference');
    const clean = await openApp({ dataDir: reference });
    await clean.api.addFolder({ path: notesDir });
    await clean.idle();
    await clean.close();
    const resumed = await visibleState(crashed);
    expect(resumed).toHaveLength(NOTE_COUNT);
    expect(resumed).toEqual(await visibleState(reference));
  }, 180_000);
});
