// A child process for crash tests of switching the search model. `setup` imports the notes with a
// deterministic test encoder and downloads the model from the hub; `switch` switches search to the
// model (or resumes a switch a crash cut off), crashing itself at an armed kill point. Prints
// `finished <backboneId>` when done.
// usage: switchChild.ts <dataDir> <notesDir> <hubUrl> <model> setup|switch <killPoint>
import { openApp } from '../../app/index.ts';
import { FeatureHashingEncoder } from '../featureHashingEncoder.ts';
import { armKillPoint } from './killPoints.ts';

const [dataDir, notesDir, hubUrl, model, mode, killPoint] = process.argv.slice(2);
await armKillPoint(killPoint ?? 'none');
const app = await openApp({
  dataDir: dataDir!,
  modelBaseUrl: hubUrl!,
  loadEncoder: async () => new FeatureHashingEncoder({ dimensions: 512 }),
});
if (mode === 'setup') {
  await app.api.addFolder({ path: notesDir! });
  await app.api.downloadModel({ id: model! });
} else {
  await app.idle();
  await app.api.useModel({ id: model! });
}
await app.idle();
const failed = (await app.api.listJobs({})).filter((job) => job.state === 'failed');
const { encoder } = await app.api.status({});
await app.close();
console.log(failed.length === 0 ? `finished ${encoder.backboneId}` : `failed ${JSON.stringify(failed)}`);
