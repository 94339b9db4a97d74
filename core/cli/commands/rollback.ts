import type { Command } from 'commander';
import type { DriftlessApi } from '../../service/index.ts';
import type { Io } from '../io.ts';
import type { CliContext } from '../context.ts';

/**
 * Makes an earlier (or later) version current. Search then embeds queries with it and searches
 * the versions of its lineage; rows of versions outside that lineage are found by full text only
 * until `driftless reindex`.
 */
export async function rollbackCommand(api: DriftlessApi, version: string, io: Io): Promise<void> {
  const { current } = await api.rollback({ version });
  io.stdout.write(`Current encoder version: ${current}.\n`);
}

export function registerRollback(program: Command, context: CliContext): void {
  program
    .command('rollback')
    .description('make another encoder version current')
    .argument('<version>', 'the version, e.g. v1')
    .action((version: string, _options: object, command: Command) =>
      context.withApp(command, (session) => rollbackCommand(session.api, version, context.io)),
    );
}
