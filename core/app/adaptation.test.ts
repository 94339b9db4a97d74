import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURE_ADAPTATION,
  FIXTURE_ADAPTATION_PROMOTING,
  linearAppOptions,
  LinearTrainer,
  topicNotes,
  writeMarkdownNotes,
} from '../adapt/testing/index.ts';
import { dataPaths } from '../base/index.ts';
import type { AdaptationOptions, EncoderTrainer } from '../adapt/index.ts';
import { FeedbackLog } from '../store/index.ts';
import type { NoteSpec } from '../testing/index.ts';
import { makeTempDir } from '../testing/index.ts';
import { openApp, type App } from './index.ts';

/**
 * Adaptation through the app: real note files, real LanceDB, real version folders, with the
 * linear fixture encoder and trainer standing in for USE-lite and tfjs.
 */
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let notes: string;
let app: App;
let folderId: string;

/** 48 anchor rows: 12 of the 36 notes (4 chunks each) are re-embedded when a version is adopted. */
const ANCHORED: AdaptationOptions = { ...FIXTURE_ADAPTATION_PROMOTING, maxAnchors: 48 };

const open = (trainer?: EncoderTrainer, adaptation: AdaptationOptions = ANCHORED) =>
  openApp({ dataDir: path.join(temp.dir, 'data'), ...linearAppOptions(trainer, adaptation) });

const writeNotes = (specs: NoteSpec[]) => writeMarkdownNotes(notes, specs);

beforeAll(async () => {
  temp = await makeTempDir('driftless-app-adapt-');
  notes = path.join(temp.dir, 'notes');
  await writeNotes(topicNotes(36));
  app = await open();
  folderId = (await app.api.addFolder({ path: notes })).id;
  await app.idle();
}, 60_000);
afterAll(async () => {
  await app.close();
  await temp.remove();
});

describe('adaptation in the app', () => {
  it('adapts by hand, publishes v1 with its compensator, and searches both versions', async () => {
    const { jobId } = await app.api.startAdaptation({});
    await app.idle();
    const job = (await app.api.listJobs({})).find((entry) => entry.id === jobId);
    expect(job).toMatchObject({ kind: 'adapt', state: 'finished' });
    const versions = await app.api.listVersions({});
    expect(versions.map((v) => [v.version, v.current])).toEqual([
      ['v0', false],
      ['v1', true],
    ]);
    // The notes its forward map was fitted on keep their new vectors; the other 24 stay in v0.
    expect(versions[1]).toMatchObject({ parent: 'v0', rows: 48, compensator: { kind: expect.any(String) } });
    expect(versions[0]).toMatchObject({ rows: 96 });
    expect(versions[1]!.metrics).toMatchObject({
      gateQueries: expect.any(Number),
      mrrAfter: expect.any(Number),
    });
    await writeNotes(topicNotes(6, 36));
    await app.api.syncFolders({ folderId });
    await app.idle();
    const status = await app.api.status({});
    expect(status.currentVersion).toBe('v1');
    expect(status.trainingBackend).toBe('fixture-linear');
    expect(status.rowsByVersion.v1).toBeGreaterThan(0);
    const found = await app.api.search({ query: 'Sourdough 1', mode: 'dense' });
    expect(found.versionsSearched).toEqual(['v1', 'v0']);
  });

  it('stores feedback in the index and reads it back', async () => {
    await app.api.recordFeedback({
      query: 'bread oven',
      kind: 'open',
      folderId,
      notePath: 'notes/0.md',
      shown: [`${folderId}/notes/12.md`, `${folderId}/notes/0.md`],
      encoderVersion: 'v1',
    });
    const log = await FeedbackLog.open(dataPaths(app.dataDir).feedback);
    expect(await log.read()).toEqual([
      expect.objectContaining({
        query: 'bread oven',
        kind: 'open',
        notePath: 'notes/0.md',
        shown: expect.any(Array),
      }),
    ]);
    log.close();
  });

  it('shows why a refused candidate was not promoted', async () => {
    await app.close();
    app = await open(new LinearTrainer({ mode: 'collapse' }), FIXTURE_ADAPTATION);
    const { jobId } = await app.api.startAdaptation({});
    await app.idle();
    const job = (await app.api.listJobs({})).find((entry) => entry.id === jobId);
    expect(job).toMatchObject({ state: 'failed', error: expect.stringContaining('not promoted') });
    expect((await app.api.listVersions({})).map((v) => v.version)).toEqual(['v0', 'v1']);
  });

  it('rolls back: search uses v0 and only its lineage; newer rows stay findable by text', async () => {
    expect(await app.api.rollback({ version: 'v0' })).toEqual({ current: 'v0' });
    expect((await app.api.status({})).currentVersion).toBe('v0');
    const dense = await app.api.search({ query: 'Sourdough 4', mode: 'dense' });
    expect(dense.versionsSearched).toEqual(['v0']);
    expect(dense.hits.every((hit) => hit.encoderVersion === 'v0')).toBe(true);
    const text = await app.api.search({ query: 'Sourdough 4', mode: 'text' });
    expect(text.hits[0]).toMatchObject({ notePath: 'notes/36.md', encoderVersion: 'v1' });
    await expect(app.api.rollback({ version: 'v7' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await app.api.rollback({ version: 'v1' });
  });

  it('backfills old rows, after which the old version is no longer searched', async () => {
    await app.api.updateSettings({ settings: { backfill: { enabled: true, chunksPerMinute: 100_000 } } });
    const backfill = app.startBackfill!();
    expect(await backfill.result).toMatchObject({ notes: 24 });
    const status = await app.api.status({});
    expect(status.rowsByVersion).toEqual({ v1: status.chunks });
    const found = await app.api.search({ query: 'Sourdough 1', mode: 'dense' });
    expect(found.versionsSearched).toEqual(['v1']);
  });

  it('reindexes everything with the current version after a rollback', async () => {
    await app.api.rollback({ version: 'v0' });
    const reindex = app.startReindex!();
    expect((await reindex.result).notes).toBe(42);
    expect((await app.api.status({})).rowsByVersion).toEqual({ v0: expect.any(Number) });
    await app.api.rollback({ version: 'v1' });
  });
});
