import path from 'node:path';
import type { Command } from 'commander';
import type { FolderInfo } from '../../service/index.ts';
import type { AppSession, Io } from '../io.ts';
import { runJobs } from '../jobs.ts';
import type { CliContext } from '../context.ts';

/** Adds a folder, waits for its import (with progress on a terminal) and prints what was indexed. */
export async function addCommand(
  session: AppSession,
  options: { folder: string },
  io: Io,
): Promise<FolderInfo> {
  const { result: added } = await runJobs(session, io, () =>
    session.api.addFolder({ path: path.resolve(options.folder) }),
  );
  const folders = await session.api.listFolders({});
  const folder = folders.find((candidate) => candidate.id === added.id) ?? added;
  io.stdout.write(
    `Added ${folder.root} (${folder.id}): ${folder.notes} notes, ${folder.chunks} chunks, ${folder.skipped} skipped.\n`,
  );
  return folder;
}

export function registerAdd(program: Command, context: CliContext): void {
  program
    .command('add')
    .description('add a folder of notes and index it')
    .argument('<folder>', 'the folder to add')
    .action((folder: string, _options: object, command: Command) =>
      context.withApp(command, (session) => addCommand(session, { folder }, context.io)),
    );
}
