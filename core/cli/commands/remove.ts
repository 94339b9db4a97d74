import type { Command } from 'commander';
import type { DriftlessApi } from '../../service/index.ts';
import type { Io } from '../io.ts';
import { resolveFolder } from '../resolveFolder.ts';
import type { CliContext } from '../context.ts';

/** Removes an added folder (by path or id) and its notes from the index; the files stay untouched. */
export async function removeCommand(api: DriftlessApi, options: { folder: string }, io: Io): Promise<void> {
  const folder = await resolveFolder(api, options.folder);
  await api.removeFolder({ folderId: folder.id });
  io.stdout.write(`Removed ${folder.root} (${folder.id}) from the index; its files are untouched.\n`);
}

export function registerRemove(program: Command, context: CliContext): void {
  program
    .command('remove')
    .description('remove an added folder from the index (the files stay)')
    .argument('<folder-or-id>', 'folder path or id')
    .action((folder: string, _options: object, command: Command) =>
      context.withApp(command, (session) => removeCommand(session.api, { folder }, context.io)),
    );
}
