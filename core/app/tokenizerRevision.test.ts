import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENIZER_REVISION } from '../encoder/index.ts';
import { openApp, type App } from './index.ts';
import { tokenizerRevisionFile } from './tokenizerRevision.ts';

/** Real files, LanceDB and bundled encoder: an index from before case folding is brought up to date. */
let root: string;
let dataDir: string;
let app: App | undefined;

const REEMBED_LABEL = 'Re-embed text in capitals (tokenizer update)';
const readRevision = async () =>
  JSON.parse(await fs.readFile(tokenizerRevisionFile(dataDir), 'utf8')) as { tokenizerRevision: number };

async function reopen(): Promise<App> {
  await app?.close();
  app = await openApp({ dataDir });
  await app.idle();
  return app;
}

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-tokrev-'));
  dataDir = path.join(root, 'data');
  const notes = path.join(root, 'notes');
  await fs.mkdir(notes, { recursive: true });
  await fs.writeFile(
    path.join(notes, 'wire.txt'),
    'STOCKS FALL AS OIL PRICES SURGE AFTER THE STORM HITS THE GULF COAST REFINERIES',
  );
  await fs.writeFile(
    path.join(notes, 'garden.md'),
    '# Garden\n\nWater the tomatoes every morning in summer.',
  );
  app = await openApp({ dataDir });
  await app.api.addFolder({ path: notes });
  await app.idle();
}, 240_000);

afterAll(async () => {
  await app?.close();
  await fs.rm(root, { recursive: true, force: true });
});

describe('tokenizer revision of the bundled index', () => {
  it('is recorded at once for a new, empty index', async () => {
    expect(await readRevision()).toEqual({ tokenizerRevision: TOKENIZER_REVISION });
    expect((await app!.api.listJobs({})).map((job) => job.label)).not.toContain(REEMBED_LABEL);
  });

  it('re-embeds only the rows in capitals of an index from before case folding, then records it', async () => {
    await fs.rm(tokenizerRevisionFile(dataDir));
    const reopened = await reopen();
    const job = (await reopened.api.listJobs({})).find((candidate) => candidate.label === REEMBED_LABEL);
    expect(job).toMatchObject({ kind: 'reindex', state: 'finished', done: 1, total: 1 });
    expect(await readRevision()).toEqual({ tokenizerRevision: TOKENIZER_REVISION });
    const status = await reopened.api.status({});
    expect(status.rowsByVersion.v0).toBe(status.chunks);
    const dense = await reopened.api.search({ query: 'oil prices rise after a storm', mode: 'dense' });
    expect(dense.hits[0]?.notePath).toBe('wire.txt');
  });

  it('does nothing once the revision is recorded', async () => {
    const reopened = await reopen();
    expect((await reopened.api.listJobs({})).map((job) => job.label)).not.toContain(REEMBED_LABEL);
  });
});
