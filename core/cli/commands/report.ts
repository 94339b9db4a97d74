import type { Command } from 'commander';
import type { DriftlessApi } from '../../service/index.ts';
import { formatJson, formatReport } from '../format.ts';
import type { Io } from '../io.ts';
import { resolveFolder } from '../resolveFolder.ts';
import type { CliContext } from '../context.ts';

/** Prints the last import report of a folder, skipped files included; `--json` prints ImportReport. */
export async function reportCommand(
  api: DriftlessApi,
  options: { folder: string; json?: boolean },
  io: Io,
): Promise<void> {
  const folder = await resolveFolder(api, options.folder);
  const report = await api.getImportReport({ folderId: folder.id });
  io.stdout.write(options.json ? formatJson(report) : formatReport(report, folder));
}

export function registerReport(program: Command, context: CliContext): void {
  program
    .command('report')
    .description('show the last import report of a folder, with skipped files and why')
    .argument('<folder>', 'folder path or id')
    .option('--json', 'print ImportReport as JSON')
    .action((folder: string, options: { json?: boolean }, command: Command) =>
      context.withApp(command, (session) => reportCommand(session.api, { folder, ...options }, context.io)),
    );
}
