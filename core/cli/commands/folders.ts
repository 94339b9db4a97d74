import type { Command } from 'commander';
import type { DriftlessApi } from '../../service/index.ts';
import { formatFolders, formatJson } from '../format.ts';
import type { Io } from '../io.ts';
import type { CliContext } from '../context.ts';

/** Lists the added folders; `--json` prints the contract's FolderInfo[]. */
export async function foldersCommand(api: DriftlessApi, options: { json?: boolean }, io: Io): Promise<void> {
  const folders = await api.listFolders({});
  io.stdout.write(options.json ? formatJson(folders) : formatFolders(folders));
}

export function registerFolders(program: Command, context: CliContext): void {
  program
    .command('folders')
    .description('list the added folders')
    .option('--json', 'print FolderInfo[] as JSON')
    .action((options: { json?: boolean }, command: Command) =>
      context.withApp(command, (session) => foldersCommand(session.api, options, context.io)),
    );
}
