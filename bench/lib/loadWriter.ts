// The writer of `bench:load` (the CLI case): an app on the same data folder that, until a deadline,
// runs an adaptation with the fixture trainer and then imports a new folder of real note files
// (bundled encoder, or the latest published version), round after round. Prints one line
// `RESULT <json>` with every round's timings, errors and this process's peak RSS.
// usage: loadWriter.ts <dataDir> <workDir> <untilMs> <notesPerRound>
import path from 'node:path';
import { FIXTURE_ADAPTATION, LinearTrainer, loadLinearEncoder } from '../../core/adapt/testing/index.ts';
import { openApp, type App } from '../../core/app/index.ts';
import { dataPaths, DriftlessError } from '../../core/base/index.ts';
import { acquireWriterLock } from '../../core/jobs/index.ts';
import { materializeCorpus } from '../../core/eval/index.ts';
import { followJobs } from './log.ts';
import { syntheticNotes } from './synthetic.ts';

const [dataDir, workDir, untilText, notesText] = process.argv.slice(2);
const until = Number(untilText);
const notesPerRound = Number(notesText);

interface Round {
  notes: number;
  chunks: number;
  importSeconds: number;
  adaptation: string;
  adaptSeconds: number;
}

const app = await openApp({
  dataDir: dataDir!,
  trainer: new LinearTrainer(),
  loadVersionEncoder: loadLinearEncoder,
  adaptation: {
    ...FIXTURE_ADAPTATION,
    train: { ...FIXTURE_ADAPTATION.train, steps: 10, batchSize: 8 },
    pairs: { ...FIXTURE_ADAPTATION.pairs, maxNewPairs: 80, maxOldPairs: 20 },
    hardNegatives: 1,
    maxFitTexts: 400,
  },
});
// Work still running at the deadline is cancelled, as quitting the app would.
followJobs(app, 10_000);
const stop = setTimeout(() => void cancelAll(app), Math.max(0, until - Date.now()));
const rounds: Round[] = [];
const errors: string[] = [];
for (let round = 0; Date.now() < until; round++) {
  try {
    rounds.push(await runRound(round));
  } catch (error) {
    const failure = DriftlessError.from(error);
    if (failure.code !== 'CANCELLED') errors.push(`${failure.code}: ${failure.message}`);
  }
}
clearTimeout(stop);
await app.close();
const peakRssMb = process.resourceUsage().maxRSS / 1024;
console.log(`RESULT ${JSON.stringify({ rounds, errors, peakRssMb })}`);

async function runRound(round: number): Promise<Round> {
  await writerLockFree();
  // Adapt first: the index already holds notes to learn from, and a short run still sees one.
  const adaptStarted = performance.now();
  const adaptation = await app.startAdaptation!({}).result.then(
    (outcome) => `published ${outcome.version}`,
    (error: unknown) => {
      const failure = DriftlessError.from(error);
      return failure.code === 'CANCELLED'
        ? 'cancelled: still running when time was up'
        : `not published: ${failure.message}`;
    },
  );
  const adaptSeconds = (performance.now() - adaptStarted) / 1000;
  if (Date.now() >= until) return { notes: 0, chunks: 0, importSeconds: 0, adaptation, adaptSeconds };
  const folder = path.join(workDir!, `round-${round}`);
  await materializeCorpus(
    syntheticNotes({ notes: notesPerRound, sectionsPerNote: 3, seed: 100 + round }),
    folder,
  );
  const importStarted = performance.now();
  const added = await app.api.addFolder({ path: folder });
  await app.idle();
  const importSeconds = (performance.now() - importStarted) / 1000;
  const info = (await app.api.listFolders({})).find((entry) => entry.id === added.id);
  return { notes: info?.notes ?? 0, chunks: info?.chunks ?? 0, importSeconds, adaptation, adaptSeconds };
}

/**
 * Waits while another process writes (a searcher app repairs the index under the writer lock when
 * it opens); a job started meanwhile would be refused with LOCKED, as the CLI's is.
 */
async function writerLockFree(): Promise<void> {
  while (Date.now() < until) {
    try {
      return await (await acquireWriterLock(dataPaths(dataDir!).lock, 'the load writer')).release();
    } catch (error) {
      if (DriftlessError.from(error).code !== 'LOCKED') throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

async function cancelAll(target: App): Promise<void> {
  for (const job of await target.api.listJobs({}))
    if (['queued', 'running', 'paused'].includes(job.state)) await target.api.cancelJob({ jobId: job.id });
}
