// A child process that opens a data folder with the linear fixture encoder and trainer, resumes
// whatever a crash interrupted, then runs one step, crashing itself at an armed kill point:
// - import: add the notes folder (or sync it when already added);
// - adapt: adapt the encoder unless a version was already published (idempotent like a real run);
// - backfill / reindex: re-embed old rows with the current version;
// - rollback: make v0 current.
// Prints `finished` when done, or `failed <jobs>` when a job failed.
// usage: adaptChild.ts <dataDir> <notesDir> <step> <killPoint>
import { openApp } from '../../app/index.ts';
import { FIXTURE_ADAPTATION_PROMOTING, linearAppOptions } from '../../adapt/testing/index.ts';
import { armKillPoint } from './killPoints.ts';
import { armPhaseKill } from './phaseKill.ts';

const [dataDir, notesDir, step, killPoint = 'none'] = process.argv.slice(2);
const app = await openApp({
  dataDir: dataDir!,
  // 40 anchor rows: about ten notes are re-embedded on adoption, the rest are left to backfill.
  ...linearAppOptions(undefined, { ...FIXTURE_ADAPTATION_PROMOTING, maxAnchors: 40 }),
  resumeJobs: true,
});
if (!armPhaseKill(app.events, killPoint)) await armKillPoint(killPoint);
await app.idle();
await runStep(step ?? 'none');
await app.idle();
const failed = (await app.api.listJobs({})).filter((job) => job.state === 'failed');
await app.close();
console.log(failed.length === 0 ? 'finished' : `failed ${JSON.stringify(failed)}`);

async function runStep(name: string): Promise<void> {
  if (name === 'import') {
    const folders = await app.api.listFolders({});
    if (folders.length === 0) await app.api.addFolder({ path: notesDir! });
    else await app.api.syncFolders({});
  } else if (name === 'adapt') {
    if ((await app.api.listVersions({})).length === 1) await app.api.startAdaptation({});
  } else if (name === 'backfill') {
    await app.api.updateSettings({ settings: { backfill: { enabled: true, chunksPerMinute: 100_000 } } });
    await app.startBackfill!().result;
  } else if (name === 'reindex') {
    await app.startReindex!().result;
  } else if (name === 'rollback') {
    await app.api.rollback({ version: 'v0' });
  }
}
