import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataPaths, ERROR_CODES } from '../base/index.ts';
import { runCli } from '../cli/testing.ts';
import type { JobInfo } from '../jobs/index.ts';
import { startLockHolder, type LockHolder } from '../testing/faults/lockHolders.ts';
import { FeatureHashingEncoder } from '../testing/index.ts';
import { openApp, type App } from './index.ts';

/**
 * A process that holds the data folder's writer lock, keeps its heartbeat going and never finishes
 * (a job stuck in a loop): never taken over, since it is alive and working. A command-line writer
 * says on stderr whom it waits for and gives up after --lock-wait with LOCKED (exit 5) naming it;
 * the app's write job waits in phase 'waiting' with the holder as its detail, and goes on once the
 * holder is gone.
 */
let root: string;
let dataDir: string;
let notes: string;
let app: App | undefined;
let holder: LockHolder | undefined;
const encoder = new FeatureHashingEncoder({ dimensions: 512 });
const HOLDER = { purpose: 'Import /elsewhere/notes', command: 'driftless serve' };

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-busy-writer-'));
  dataDir = path.join(root, 'data');
  notes = path.join(root, 'notes');
  await fs.mkdir(dataDir);
  await fs.mkdir(notes);
  await fs.writeFile(path.join(notes, 'heron.md'), '# Heron\n\nThe heron waits in the shallows.');
  // Beating every second: fresh to every waiter, however loaded the machine.
  holder = await startLockHolder(dataPaths(dataDir).lock, 1_000, 'hold', HOLDER);
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  await holder?.kill();
  await fs.rm(root, { recursive: true, force: true });
});

const cli = (...argv: string[]) => runCli(dataDir, encoder, ...argv);

/** The holder in words, as a pattern: pid, command, job and since when (local time). */
function holderPattern(pid: number): string {
  return `nother Driftless process \\(pid ${pid}, \`driftless serve\`: Import /elsewhere/notes, holding since (\\d{4}-\\d\\d-\\d\\d )?\\d\\d:\\d\\d\\)`;
}

const lockOwner = async () =>
  JSON.parse(await fs.readFile(dataPaths(dataDir).lock, 'utf8')) as { pid: number };

describe('a writer that keeps beating and never finishes', () => {
  it('makes `driftless add` say whom it waits for and give up after --lock-wait with LOCKED', async () => {
    const { pid } = holder!;
    const added = await cli('--lock-wait', '0.5', 'add', notes);
    expect(added.code).toBe(ERROR_CODES.LOCKED.exit);
    const lines = added.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^driftless: Import ${notes} is waiting: A${holderPattern(pid)} is writing to this data folder\\. ` +
          'Waiting up to 0\\.5 s for it to finish \\(--lock-wait\\); Ctrl-C stops\\.$',
      ),
    );
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^driftless: Import ${notes} failed: A${holderPattern(pid)} is still writing to this data folder; ` +
          'gave up waiting after 0\\.5 s\\. Try again when it finishes\\.$',
      ),
    );
    expect(lines).toHaveLength(2);
    expect(added.stdout).toBe('');
    expect((await lockOwner()).pid).toBe(pid); // a live, working holder keeps its lock

    // Once it is gone, the folder added meanwhile is imported by a sync.
    await holder!.kill();
    const synced = await cli('sync');
    expect(synced.stderr).toBe('');
    expect(synced.code).toBe(0);
    expect(synced.stdout).toContain(`Synced ${notes}: 1 added`);
  });

  it("shows the app's import as waiting for the holder (pid, command, job, since), which goes on once it is gone", async () => {
    const { pid } = holder!;
    app = await openApp({ dataDir, watch: false, loadEncoder: async () => encoder });
    const waiting = new Promise<JobInfo>((resolve) =>
      app!.events.on((event) => {
        if (event.type === 'job' && event.job.phase === 'waiting') resolve(event.job);
      }),
    );
    const added = await app.api.addFolder({ path: notes });
    const job = await waiting;
    expect(job).toMatchObject({ label: `Import ${added.root}`, state: 'running', folderId: added.id });
    const listed = (await app.api.listJobs({})).find((entry) => entry.id === job.id);
    expect(listed).toMatchObject({ state: 'running', phase: 'waiting' });
    expect(listed!.detail).toMatch(new RegExp(`^a${holderPattern(pid)}$`));

    await holder!.kill();
    await app.idle();
    expect((await app.api.listJobs({})).find((entry) => entry.id === job.id)).toMatchObject({
      state: 'finished',
    });
    expect((await app.api.listFolders({}))[0]).toMatchObject({ id: added.id, notes: 1 });
  });
});
