// A child process that imports (or resumes importing) one folder into a data folder with a
// deterministic test encoder, crashing itself at an armed kill point. Prints `finished` when done.
// usage: importChild.ts <dataDir> <notesDir> <killPoint>
import { openApp } from '../../app/index.ts';
import { FeatureHashingEncoder } from '../featureHashingEncoder.ts';
import { armKillPoint } from './killPoints.ts';

const [dataDir, notesDir, killPoint] = process.argv.slice(2);
await armKillPoint(killPoint ?? 'none');
const app = await openApp({
  dataDir: dataDir!,
  loadEncoder: async () => new FeatureHashingEncoder({ dimensions: 512 }),
});
const folders = await app.api.listFolders();
if (folders.length === 0) await app.api.addFolder({ path: notesDir! });
else await app.api.syncFolders({});
await app.idle();
const failed = (await app.api.listJobs()).filter((job) => job.state === 'failed');
await app.close();
console.log(failed.length === 0 ? 'finished' : `failed ${JSON.stringify(failed)}`);
