import { openApp } from '../../app/index.ts';
import { linearAppOptions, FIXTURE_DIMS } from '../../adapt/testing/index.ts';
import type { JobInfo } from '../../service/contract.ts';
import { VersionStore } from '../../versions/index.ts';
import { indexSnapshot, type NoteSnapshot } from './indexState.ts';

/**
 * The state two runs must share to count as "the same": the versions list (version and parent),
 * the current version, the rows per version, and the committed notes with the chunks search sees.
 * Training metrics and creation times may differ (a resumed run samples other batches).
 */
export interface AdaptState {
  versions: Array<[string, string | undefined]>;
  current: string;
  rowsByVersion: Record<string, number>;
  notes: NoteSnapshot[];
}

/** What a reader finds after a crash, plus the checks every restart must pass on the way. */
export interface RestartView {
  state: AdaptState;
  /** Jobs the opened app lists as failed, with their reasons. */
  failed: JobInfo[];
  /** Hits of a dense and a hybrid search. */
  hits: number;
  /** Notes whose visible chunks do not match their committed chunk count or mix versions. */
  halfIndexed: string[];
  /** Versions the store marks damaged, plus a failure of verifying the current one. */
  damage: string[];
}

/**
 * Opens a fixture data folder the way a user's next start would (without resuming jobs) and
 * reads everything the fault tests compare.
 */
export async function inspectAdaptFolder(dataDir: string, versionsDir: string): Promise<RestartView> {
  const damage = await checkVersions(versionsDir);
  const { notes, rows } = await indexSnapshot(dataDir, FIXTURE_DIMS);
  const halfIndexed = notes
    .filter((note) => note.visible.length !== note.chunks || note.versions.length > 1)
    .map((note) => note.path);
  if (rows !== notes.reduce((sum, note) => sum + note.chunks, 0)) halfIndexed.push(`(${rows} rows in all)`);
  const app = await openFixtureApp(dataDir);
  try {
    await app.idle();
    const dense = await app.api.search({ query: 'bread oven dough', mode: 'dense', limit: 5 });
    const hybrid = await app.api.search({ query: 'cluster container', limit: 5 });
    const status = await app.api.status({});
    const versions = await app.api.listVersions({});
    return {
      state: {
        versions: versions.map((v) => [v.version, v.parent]),
        current: status.currentVersion,
        rowsByVersion: status.rowsByVersion,
        notes,
      },
      failed: (await app.api.listJobs({})).filter((job) => job.state === 'failed'),
      hits: Math.min(dense.hits.length, hybrid.hits.length),
      halfIndexed,
      damage,
    };
  } finally {
    await app.close();
  }
}

async function checkVersions(dir: string): Promise<string[]> {
  const store = await VersionStore.open(dir, 'feature-hashing');
  const damage = store.damaged().map((entry) => JSON.stringify(entry));
  await store.verify(store.current.version).catch((error: Error) => damage.push(error.message));
  return damage;
}

function openFixtureApp(dataDir: string) {
  return openApp({
    dataDir,
    ...linearAppOptions(),
  });
}
