// A child process that runs one "publish a new encoder version" job, crashing at an armed kill point.
// The job is idempotent like a real adaptation job: it finds its own version by job id and stops.
// usage: publishChild.ts <versionsDir> <killPoint>
import fs from 'node:fs/promises';
import path from 'node:path';
import { VersionStore } from '../../versions/index.ts';
import { armKillPoint } from './killPoints.ts';

const JOB_ID = 'adapt-job-1';
const [dir, killPoint] = process.argv.slice(2);
await armKillPoint(killPoint ?? 'none');
const store = await VersionStore.open(dir!, 'feature-hashing');
const done = store.list().find((manifest) => manifest.training?.jobId === JOB_ID);
if (!done) {
  const parent = store.current.version;
  await store.publish(async (staging) => {
    await fs.writeFile(path.join(staging, 'weights.bin'), Buffer.alloc(256 * 1024, 7));
    await fs.writeFile(
      path.join(staging, 'compensator.json'),
      JSON.stringify({ kind: 'mean', drift: [0.1, 0.2] }),
    );
    return {
      parent,
      backboneId: 'feature-hashing',
      compensator: { file: 'compensator.json', kind: 'mean', quality: 0.9 },
      metrics: { newNotesNdcg: 0.5 },
      training: { jobId: JOB_ID, steps: 10 },
    };
  });
}
console.log('finished');
