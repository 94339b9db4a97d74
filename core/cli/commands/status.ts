import type { Command } from 'commander';
import { DriftlessError } from '../../base/index.ts';
import type { DriftlessApi } from '../../service/index.ts';
import { formatJson, formatStatus } from '../format.ts';
import type { Io } from '../io.ts';
import type { CliContext } from '../context.ts';

/**
 * Prints the index status; `--json` prints the contract's StatusInfo. A damaged index is reported in
 * it (with what to do) and still exits INDEX_DAMAGED's code, so scripts checking health see it.
 */
export async function statusCommand(api: DriftlessApi, options: { json?: boolean }, io: Io): Promise<void> {
  const status = await api.status({});
  io.stdout.write(options.json ? formatJson(status) : formatStatus(status));
  const damage = status.indexDamaged;
  if (damage) throw new DriftlessError('INDEX_DAMAGED', `${damage.problem} ${damage.hint}`);
}

export function registerStatus(program: Command, context: CliContext): void {
  program
    .command('status')
    .description('show the index, encoder and data folder')
    .option('--json', 'print StatusInfo as JSON')
    .action((options: { json?: boolean }, command: Command) =>
      // An index too damaged to open is reported like one found damaged, never a bare error.
      context.withApp(command, (session) => statusCommand(session.api, options, context.io), {
        openDamagedIndex: true,
      }),
    );
}
