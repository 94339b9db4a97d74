import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppOptions } from '../../app/types.ts';
import { openApp } from '../../app/index.ts';
import {
  FIXTURE_ADAPTATION_PROMOTING,
  linearAppOptions,
  topicNotes,
  writeMarkdownNotes,
} from '../../adapt/testing/index.ts';
import type { VersionInfo } from '../../service/index.ts';
import { makeTempDir } from '../../testing/index.ts';
import { runCliWith } from '../testing.ts';

/** The version commands against a real data folder, with the linear fixture encoder and trainer. */
let temp: Awaited<ReturnType<typeof makeTempDir>>;

// Adoption keeps no anchors here, so `reindex` has every v0 row left to re-embed.
const fixtureApp = (options: AppOptions) =>
  openApp({
    ...options,
    ...linearAppOptions(undefined, { ...FIXTURE_ADAPTATION_PROMOTING, keepAnchors: false }),
  });

const run = (...argv: string[]) => runCliWith(path.join(temp.dir, 'data'), fixtureApp, ...argv);

beforeAll(async () => {
  temp = await makeTempDir('driftless-cli-versions-');
  const notes = path.join(temp.dir, 'notes');
  await writeMarkdownNotes(notes, topicNotes(36));
  expect((await run('add', notes)).code).toBe(0);
}, 60_000);
afterAll(() => temp.remove());

describe('version commands', () => {
  it('adapt trains a new version with the given steps and lists it', async () => {
    const adapted = await run('adapt', '--steps', '12');
    expect(adapted).toMatchObject({ code: 0, stderr: '' });
    expect(adapted.stdout).toMatch(/\* v1 {2}from v0/);
    // The gate's figures as the job measured them: held-out MRR and the noise of its gain.
    expect(adapted.stdout).toMatch(/v1 .* gate MRR \d\.\d{3} -> \d\.\d{3} \(±\d\.\d{3} on \d+ queries\)/);
    const listed = await run('versions', '--json');
    const versions = JSON.parse(listed.stdout) as VersionInfo[];
    expect(versions.map((v) => [v.version, v.current])).toEqual([
      ['v0', false],
      ['v1', true],
    ]);
    expect((await run('adapt', '--steps', '0')).code).toBe(2);
  });

  it('rollback switches the current version and refuses unknown ones', async () => {
    expect(await run('rollback', 'v0')).toMatchObject({ code: 0, stdout: 'Current encoder version: v0.\n' });
    expect((await run('versions')).stdout).toMatch(/^\* v0 {2}pretrained/);
    expect((await run('rollback', 'v9')).code).toBe(3);
    await run('rollback', 'v1');
  });

  it('reindex re-embeds every row with the current version', async () => {
    const reindexed = await run('reindex');
    expect(reindexed.code).toBe(0);
    expect(reindexed.stdout).toMatch(/^Re-embedded \d+ chunks of 36 notes with v1\.\n$/);
    const status = JSON.parse((await run('status', '--json')).stdout) as {
      rowsByVersion: Record<string, number>;
    };
    expect(Object.keys(status.rowsByVersion)).toEqual(['v1']);
  });
});
