import type { Command } from 'commander';
import type { AppSession, Io } from '../io.ts';
import { runJobs } from '../jobs.ts';
import type { CliContext } from '../context.ts';

/**
 * Moves a damaged index aside (kept, never deleted) and rebuilds it by importing every added folder
 * again, with progress; feedback, marks, settings and versions are kept.
 */
export async function repairCommand(session: AppSession, io: Io): Promise<void> {
  await session.idle(); // the start's own index check settles first: only the repair's jobs count
  const { result } = await runJobs(session, io, () => session.api.repairIndex({}));
  io.stdout.write(
    `Moved the old index to ${result.setAsideTo} (kept; delete it once you no longer need it).\n`,
  );
  for (const folder of await session.api.listFolders({})) {
    const report = await session.api.getImportReport({ folderId: folder.id });
    io.stdout.write(`Rebuilt ${folder.root}: ${report.added} notes, ${report.skipped.length} skipped.\n`);
  }
}

export function registerRepair(program: Command, context: CliContext): void {
  program
    .command('repair')
    .description('rebuild a damaged index from your notes (the old one is moved aside, never deleted)')
    .action((_options: object, command: Command) =>
      context.withApp(command, (session) => repairCommand(session, context.io), {
        setAsideDamagedIndex: true,
      }),
    );
}
