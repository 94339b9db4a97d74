import type { Command } from 'commander';
import type { AppSession, Io } from '../io.ts';
import { runJobs } from '../jobs.ts';
import { resolveFolder } from '../resolveFolder.ts';
import type { CliContext } from '../context.ts';

/** Re-scans one folder (by id or path) or all of them, waits for the work and prints what changed. */
export async function syncCommand(session: AppSession, options: { folder?: string }, io: Io): Promise<void> {
  const folderId = options.folder ? (await resolveFolder(session.api, options.folder)).id : undefined;
  await runJobs(session, io, () => session.api.syncFolders(folderId ? { folderId } : {}));
  const folders = await session.api.listFolders({});
  for (const folder of folders.filter((candidate) => !folderId || candidate.id === folderId)) {
    const report = await session.api.getImportReport({ folderId: folder.id });
    io.stdout.write(
      `Synced ${folder.root}: ${report.added} added, ${report.updated} updated, ${report.removed} removed, ${report.renamed} renamed, ${report.skipped.length} skipped.\n`,
    );
  }
}

export function registerSync(program: Command, context: CliContext): void {
  program
    .command('sync')
    .description('pick up changes in one added folder, or in all of them')
    .argument('[folder]', 'folder path or id (default: all folders)')
    .action((folder: string | undefined, _options: object, command: Command) =>
      context.withApp(command, (session) => syncCommand(session, folder ? { folder } : {}, context.io)),
    );
}
