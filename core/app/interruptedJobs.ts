import fs from 'node:fs/promises';
import path from 'node:path';
import { DriftlessError } from '../base/index.ts';
import { startAdaptation, startReindex } from './adaptationApi.ts';
import type { AppParts, WriteJob } from './parts.ts';
import type { JournalEntry } from './jobJournal.ts';

/**
 * Deals with adaptation, reindex and backfill jobs that a crash cut off. With `resume` they run
 * again (training continues from its last checkpoint; a reindex only re-embeds rows still stale);
 * an adaptation that had already published its version counts as done, and only its anchor notes
 * are embedded again. Without `resume` each is listed as a failed job saying why, and its entry
 * stays for the next resuming start.
 */
export async function handleInterruptedJobs(
  parts: AppParts,
  writeJob: WriteJob,
  resume: boolean,
): Promise<void> {
  for (const entry of await parts.journal.interrupted()) {
    const published = entry.kind === 'adapt' ? publishedSince(parts, entry) : undefined;
    if (published && resume) {
      await parts.journal.end('adapt');
      await fs.rm(path.join(parts.paths.jobs, `adapt-from-${entry.from}`), { recursive: true, force: true });
      // Its anchors' vectors were lost with the process: embed those notes again.
      if (published === currentVersion(parts)) startReindex(parts, writeJob, 'backfill', true);
    } else if (resume) {
      restart(parts, writeJob, entry);
    } else {
      reportInterrupted(parts, entry);
    }
  }
}

/** The version the interrupted adaptation published, when it got that far. */
function publishedSince(parts: AppParts, entry: JournalEntry): string | undefined {
  return parts.searchSpace
    .get()
    .versions.list()
    .find((manifest) => manifest.parent === entry.from && manifest.createdMs >= entry.startedMs)?.version;
}

function currentVersion(parts: AppParts): string {
  return parts.searchSpace.get().versions.current.version;
}

function restart(parts: AppParts, writeJob: WriteJob, entry: JournalEntry): void {
  try {
    if (entry.kind === 'adapt')
      startAdaptation(
        parts,
        writeJob,
        'resumed after an interruption',
        entry.steps ? { steps: entry.steps } : {},
      );
    else startReindex(parts, writeJob, entry.kind);
  } catch (error) {
    // Another adaptation is already queued: that one does the work.
    if (!(error instanceof DriftlessError && error.code === 'CONFLICT')) throw error;
  }
}

function reportInterrupted(parts: AppParts, entry: JournalEntry): void {
  const since = entry.startedMs ? ` (started ${new Date(entry.startedMs).toISOString()})` : '';
  parts.jobs.enqueue({
    kind: entry.kind,
    label: entry.label,
    run: async () => {
      throw new DriftlessError(
        'IO',
        `Interrupted: the process stopped while this job ran${since}. ` +
          'It continues from its last checkpoint the next time the app runs or the job is started again.',
        { interrupted: true },
      );
    },
  });
}
