import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HOSTILE_SETTINGS, writeLargeHostileNotes } from './hostileNotes.ts';
import { FIXTURE_NOTES_ENV, SERVER_URL_ENV } from './server.ts';
import { startServe } from './serverProcess.ts';

/**
 * Copies the fixture notes with the generated large hostile notes into a temp folder, and starts the
 * real web mode (`driftless serve`, with tiny adaptation runs: see serveForTests.ts) on a fresh data
 * folder and a free port; hands the notes folder and the printed URL (with its token) to the specs.
 * Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-e2e-'));
  const notes = path.join(work, 'notes');
  await fs.cp(path.resolve(import.meta.dirname, 'fixtures', 'notes'), notes, { recursive: true });
  await writeLargeHostileNotes(notes);
  const dataDir = path.join(work, 'data');
  await fs.mkdir(dataDir);
  await fs.writeFile(path.join(dataDir, 'settings.json'), JSON.stringify(HOSTILE_SETTINGS));
  const server = await startServe('e2e/serveForTests.ts', dataDir);
  process.env[SERVER_URL_ENV] = server.url;
  process.env[FIXTURE_NOTES_ENV] = notes;
  return async () => {
    await server.stop();
    await fs.rm(work, { recursive: true, force: true });
  };
}
