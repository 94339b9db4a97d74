import type { Command } from 'commander';
import type { App } from '../../app/types.ts';
import { DriftlessError } from '../../base/index.ts';
import type { AppSession, Io } from '../io.ts';
import { runJobs } from '../jobs.ts';
import type { CliContext } from '../context.ts';

/**
 * Re-embeds rows of other encoder versions with the current one (`reindex`: all of them, at full
 * speed; `backfill`: only older versions, most retrieved notes first, at the backfill rate). Ctrl-C
 * cancels between batches; what was written stays written.
 */
export async function reindexCommand(
  session: AppSession,
  app: Pick<App, 'startReindex' | 'startBackfill'>,
  kind: 'reindex' | 'backfill',
  io: Io,
): Promise<void> {
  const start = kind === 'reindex' ? app.startReindex : app.startBackfill;
  if (!start) throw new DriftlessError('UNSUPPORTED', `This build cannot ${kind}.`);
  let result: Awaited<ReturnType<typeof start>['result']> | undefined;
  await runJobs(session, io, async () => {
    const job = start.call(app);
    // A failed job is reported by runJobs from the job list, with its reason.
    void job.result.then((value) => (result = value)).catch(() => undefined);
    return job.jobId;
  });
  const status = await session.api.status({});
  io.stdout.write(
    `Re-embedded ${result?.chunks ?? 0} chunks of ${result?.notes ?? 0} notes with ${status.currentVersion}.\n`,
  );
}

export function registerReindex(program: Command, context: CliContext): void {
  program
    .command('reindex')
    .description('re-embed every note with the current encoder version')
    .action((_options: object, command: Command) =>
      context.withApp(command, (session, app) => reindexCommand(session, app, 'reindex', context.io)),
    );
  program
    .command('backfill')
    .description('re-embed notes of older versions, most searched first, at the backfill rate')
    .action((_options: object, command: Command) =>
      context.withApp(command, (session, app) => reindexCommand(session, app, 'backfill', context.io)),
    );
}
