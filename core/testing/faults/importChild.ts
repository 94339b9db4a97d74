// A child process that imports (or resumes importing) one folder into a data folder with a
// deterministic test encoder, crashing itself at an armed kill point. Prints `finished` when done.
// With DRIFTLESS_WRITE_LOG set, every index write is logged there (see writerLog.ts).
// usage: importChild.ts <dataDir> <notesDir> <killPoint>
import { openApp } from '../../app/index.ts';
import { FeatureHashingEncoder } from '../featureHashingEncoder.ts';
import { waitAtBarrier } from './barrier.ts';
import { armKillPoint } from './killPoints.ts';
import { logIndexWrites } from './writerLog.ts';

const [dataDir, notesDir, killPoint] = process.argv.slice(2);
await armKillPoint(killPoint ?? 'none');
if (process.env.DRIFTLESS_WRITE_LOG) logIndexWrites(process.env.DRIFTLESS_WRITE_LOG);
const app = await openApp({
  dataDir: dataDir!,
  loadEncoder: async () => new FeatureHashingEncoder({ dimensions: 512 }),
});
await waitAtBarrier();
const folders = await app.api.listFolders({});
if (folders.length === 0) await app.api.addFolder({ path: notesDir! });
else await app.api.syncFolders({});
await app.idle();
const failed = (await app.api.listJobs({})).filter((job) => job.state === 'failed');
await app.close();
console.log(failed.length === 0 ? 'finished' : `failed ${JSON.stringify(failed)}`);
