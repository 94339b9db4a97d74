// A child process whose wall clock jumps: `Date.now` moves by <shiftMs> when an import starts
// indexing and again when an adaptation starts training (so twice in all), then goes back to
// the true time. It imports the notes folder with the linear fixture encoder, adapts, records
// feedback and syncs again, and prints one JSON line of what it saw, then `finished`.
// usage: clockChild.ts <dataDir> <notesDir> <shiftMs>
import { openApp } from '../../app/index.ts';
import { linearAppOptions } from '../../adapt/testing/index.ts';
import { adaptationDue } from '../../adapt/index.ts';
import { DEFAULT_SETTINGS } from '../../app/index.ts';

const [dataDir, notesDir, shiftText] = process.argv.slice(2);
const shift = Number(shiftText);
const trueNow = Date.now.bind(Date);
let offset = 0;
Date.now = () => trueNow() + offset;

const app = await openApp({
  dataDir: dataDir!,
  ...linearAppOptions(),
});
const etas: number[] = [];
const jumped = new Set<string>();
app.events.on((event) => {
  if (event.type !== 'job') return;
  if (event.job.etaSeconds !== undefined) etas.push(event.job.etaSeconds);
  if (event.job.state === 'running' && ['index', 'train'].includes(event.job.phase ?? '')) {
    if (!jumped.has(event.job.id)) offset += shift;
    jumped.add(event.job.id);
  }
});

const folder = await app.api.addFolder({ path: notesDir! });
await app.idle();
await app.api.startAdaptation({});
await app.idle();
const published = (await app.api.listVersions({})).at(-1)!;
offset = 0; // the clock is set right again
const schedule = adaptationDue(
  { ...DEFAULT_SETTINGS.adaptation, enabled: true, scheduleHours: 24, onlyWhenIdle: false },
  {
    newNotes: 1,
    feedbackEvents: 0,
    lastVersionMs: published.createdMs,
    nowMs: Date.now(),
    idle: true,
    onBattery: false,
  },
);
await app.api.recordFeedback({
  query: 'bread oven',
  kind: 'open',
  folderId: folder.id,
  notePath: 'notes/0.md',
  shown: [`${folder.id}/notes/0.md`],
  encoderVersion: published.version,
});
await app.api.syncFolders({});
await app.idle();
const jobs = await app.api.listJobs({});
const status = await app.api.status({});
await app.close();
console.log(
  JSON.stringify({
    etas,
    jumps: jumped.size,
    jobs: jobs.map((job) => ({ kind: job.kind, state: job.state, error: job.error })),
    versions: [published.version],
    notes: status.notes,
    schedule,
  }),
);
console.log('finished');
