import { InvalidArgumentError, type Command } from 'commander';
import type { App } from '../../app/types.ts';
import { DriftlessError } from '../../base/index.ts';
import type { AppSession, Io } from '../io.ts';
import { runJobs } from '../jobs.ts';
import type { CliContext } from '../context.ts';
import { formatVersions } from './versions.ts';

/**
 * Runs one adaptation now and waits for it (progress bars on a terminal). A candidate the gate
 * refuses fails the command with the gate's reasons.
 */
export async function adaptCommand(
  session: AppSession,
  app: Pick<App, 'startAdaptation'>,
  options: { steps?: number },
  io: Io,
): Promise<void> {
  await runJobs(session, io, async () => {
    if (options.steps === undefined) return session.api.startAdaptation({});
    if (!app.startAdaptation)
      throw new DriftlessError('UNSUPPORTED', 'This build cannot change the number of training steps.');
    return { jobId: app.startAdaptation({ steps: options.steps }).jobId };
  });
  const versions = await session.api.listVersions({});
  io.stdout.write(`Adapted. Encoder versions:\n${formatVersions(versions)}`);
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('Expected a positive integer.');
  return parsed;
}

export function registerAdapt(program: Command, context: CliContext): void {
  program
    .command('adapt')
    .description('train a new encoder version on new notes and feedback now')
    .option('--steps <n>', 'training steps', positiveInteger)
    .action((options: { steps?: number }, command: Command) =>
      context.withApp(command, (session, app) => adaptCommand(session, app, options, context.io)),
    );
}
