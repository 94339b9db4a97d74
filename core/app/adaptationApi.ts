import { DriftlessError } from '../base/index.ts';
import {
  loadAnchorNotes,
  runAdaptation,
  storedStepPlan,
  type AdaptationOptions,
  type AdaptationOutcome,
} from '../adapt/index.ts';
import { reindexRows, type ReindexResult } from '../reembed/index.ts';
import type { JobSpec } from '../jobs/index.ts';
import type { DriftlessApi, Settings, VersionInfo } from '../service/contract.ts';
import type { AppParts, WriteJob } from './parts.ts';
import type { JournalEntry } from './jobJournal.ts';
import { BUNDLED_MODEL } from './searchSpace.ts';

/** The encoder-version part of the API: adaptation, versions and rollback. */
export function versionsApi(
  parts: AppParts,
  writeJob: WriteJob,
): Pick<DriftlessApi, 'startAdaptation' | 'listVersions' | 'rollback'> {
  return {
    startAdaptation: async () => ({ jobId: startAdaptation(parts, writeJob, 'by hand').id }),
    listVersions: async () => listVersions(parts),
    rollback: async ({ version }) => {
      await parts.searchSpace.get().versions.setCurrent(version);
      parts.events.emit({ type: 'versions-changed', current: version });
      return { current: version };
    },
  };
}

/** Queues an adaptation job unless one is already queued or running. */
export function startAdaptation(
  parts: AppParts,
  writeJob: WriteJob,
  reason: string,
  overrides: { steps?: number } = {},
): { id: string; result: Promise<AdaptationOutcome> } {
  const queuedOn = parts.searchSpace.get();
  if (queuedOn.model !== BUNDLED_MODEL)
    throw new DriftlessError(
      'UNSUPPORTED',
      'Adaptation trains the bundled encoder; search uses a downloaded model now. Switch back in Settings to adapt.',
    );
  const active = parts.jobs
    .list()
    .find((job) => job.kind === 'adapt' && ['queued', 'running', 'paused'].includes(job.state));
  if (active)
    throw new DriftlessError('CONFLICT', 'An adaptation is already queued or running.', { jobId: active.id });
  const from = queuedOn.versions.current.version;
  const label = `Adapt the encoder from ${from} (${reason})`;
  const steps = overrides.steps;
  return writeJob({
    kind: 'adapt',
    label,
    run: journaled(parts, { kind: 'adapt', label, from, ...(steps ? { steps } : {}) }, async (context) => {
      const trainer = await parts.trainer();
      // The space when the job runs (a job queued earlier may have repaired its index meanwhile).
      const space = parts.searchSpace.get();
      const outcome = await runAdaptation(
        {
          index: space.index,
          versions: space.versions,
          trainer,
          encoderFor: (version) => parts.jobEncoders.get(version),
          feedback: parts.feedback,
          jobsDir: parts.paths.jobs,
          space: { vectorsByVersion: space.space.vectorsByVersion, versionMerge: space.space.versionMerge },
        },
        adaptationOptions(parts, await parts.settings.current(), overrides),
        context,
      );
      // The anchors' rows were rewritten in the new version (keepAnchors).
      space.space.invalidateRows();
      parts.events.emit({ type: 'versions-changed', current: outcome.version });
      parts.events.emit({ type: 'index-changed' });
      return outcome;
    }),
  });
}

/**
 * The run's options: the app's, with the user's training time budget (read when the job starts, so
 * the next run uses a budget changed meanwhile) unless the app's options pin `train.maxMinutes`
 * (benchmarks and tests; undefined there means no budget), and the steps the caller overrides.
 */
function adaptationOptions(
  parts: AppParts,
  settings: Settings,
  overrides: { steps?: number },
): AdaptationOptions {
  const train = parts.adaptation.train ?? {};
  const budget = 'maxMinutes' in train ? {} : { maxMinutes: settings.adaptation.trainingMinutes };
  const steps = overrides.steps === undefined ? {} : { steps: overrides.steps };
  return { ...parts.adaptation, train: { ...train, ...budget, ...steps } };
}

/**
 * Re-embeds rows of other versions with the current one. The backfill variant runs in the
 * background: only rows of versions older than the current one, most retrieved notes first,
 * rate-limited by the backfill setting. `anchors` narrows a backfill to the notes the current
 * version recorded as its anchors, unpaced: what its adaptation would have kept had it not been
 * interrupted after publishing.
 */
export function startReindex(
  parts: AppParts,
  writeJob: WriteJob,
  kind: 'reindex' | 'backfill',
  anchors = false,
): { id: string; result: Promise<ReindexResult> } {
  const queuedOn = parts.searchSpace.get();
  const current = queuedOn.versions.current.version;
  const older = new Set(
    queuedOn.versions
      .lineage(current)
      .slice(1)
      .map((m) => m.version),
  );
  const label = anchors
    ? `Re-embed the anchor notes of ${current}`
    : kind === 'reindex'
      ? `Re-embed every note with ${current}`
      : `Backfill old rows with ${current}`;
  return writeJob({
    kind,
    label,
    run: journaled(parts, { kind, label, from: current }, async (context) => {
      const space = parts.searchSpace.get();
      const encoder = await parts.jobEncoders.get(space.versions.current.version);
      const result = await reindexRows(
        space.index,
        encoder,
        anchors
          ? { notes: await loadAnchorNotes(space.versions, current), versions: (v) => older.has(v) }
          : kind === 'reindex'
            ? {}
            : {
                versions: (version) => older.has(version),
                priority: (noteKey) => parts.retrievals.count(noteKey),
                chunksPerMinute: (await parts.settings.current()).backfill.chunksPerMinute,
              },
        context,
      );
      space.space.invalidateRows();
      parts.events.emit({ type: 'index-changed' });
      return result;
    }),
  });
}

/**
 * Records the job in the journal while it runs (under the writer lock), so that a start after a
 * crash can resume it or report it; any settled outcome, failure included, clears the entry.
 */
function journaled<T>(
  parts: AppParts,
  entry: Omit<JournalEntry, 'startedMs'>,
  run: JobSpec<T>['run'],
): JobSpec<T>['run'] {
  return async (context) => {
    await parts.journal.begin({ ...entry, startedMs: Date.now() });
    try {
      return await run(context);
    } finally {
      await parts.journal.end(entry.kind);
    }
  };
}

async function listVersions(parts: AppParts): Promise<VersionInfo[]> {
  const { index, versions } = parts.searchSpace.get();
  const rows = await index.countRowsByVersion();
  const current = versions.current.version;
  return versions.list().map((manifest) => ({
    version: manifest.version,
    ...(manifest.parent ? { parent: manifest.parent } : {}),
    createdMs: manifest.createdMs,
    current: manifest.version === current,
    rows: rows[manifest.version] ?? 0,
    ...(manifest.compensator
      ? { compensator: { kind: manifest.compensator.kind, quality: manifest.compensator.quality } }
      : {}),
    ...(manifest.metrics ? { metrics: manifest.metrics } : {}),
    ...stepPlanOf(manifest.training),
    ...(manifest.note ? { note: manifest.note } : {}),
  }));
}

function stepPlanOf(training: Record<string, unknown> | undefined): { stepPlan?: VersionInfo['stepPlan'] } {
  const stepPlan = storedStepPlan(training?.stepPlan);
  return stepPlan ? { stepPlan } : {};
}
