import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runTsChild } from '../testing/faults/childProcess.ts';
import { writeNoteFolder } from '../testing/faults/noteFolder.ts';

const PRELOAD = ['--import', path.join(REPO_ROOT, 'core/testing/faults/noNetwork.mjs')];
let root: string;
let log: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-offline-'));
  log = path.join(root, 'network.log');
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

const attempts = async () =>
  (await fs.readFile(log, 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe('no network access by default', () => {
  it('the guard itself notices fetch, http, DNS and raw sockets to other hosts', async () => {
    const run = await runTsChild('core/testing/faults/networkProbe.mjs', [], {
      nodeArgs: PRELOAD,
      env: { DRIFTLESS_NETWORK_LOG: log },
    });
    expect(run.stdout, run.stderr).toContain('probed');
    expect((await attempts()).map((a) => a.kind)).toEqual(['fetch', 'http', 'dns', 'tcp']);
    await fs.rm(log);
  });

  it('a full import, search and adaptation request with the bundled encoder connects nowhere', async () => {
    const notes = path.join(root, 'notes');
    await writeNoteFolder(notes, 40);
    const run = await runTsChild('core/testing/faults/offlineChild.ts', [path.join(root, 'data'), notes], {
      nodeArgs: PRELOAD,
      env: { DRIFTLESS_NETWORK_LOG: log },
    });
    expect(run.stdout, run.stderr).toContain('finished');
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-2) ?? '{}');
    console.log(`offline run: ${JSON.stringify(summary)}`);
    expect(summary).toMatchObject({ notes: 40, hits: expect.any(Number) });
    expect(summary.hits).toBeGreaterThan(0);
    expect(await attempts()).toEqual([]);
  });
});
