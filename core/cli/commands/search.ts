import { Option, type Command } from 'commander';
import { DriftlessError } from '../../base/index.ts';
import type { ApiArgs, DriftlessApi, SearchFilters } from '../../service/index.ts';
import { formatJson, formatSearch } from '../format.ts';
import type { Io } from '../io.ts';
import { collect, integerFrom } from '../parse.ts';
import { resolveFolder } from '../resolveFolder.ts';
import type { CliContext } from '../context.ts';

export interface SearchOptions {
  query: string[];
  json?: boolean;
  limit?: number;
  tag?: string[];
  folder?: string;
  path?: string;
  after?: string;
  before?: string;
  mode?: 'hybrid' | 'dense' | 'text';
}

/** Searches the notes; `--json` prints the contract's SearchResponse. */
export async function searchCommand(api: DriftlessApi, options: SearchOptions, io: Io): Promise<void> {
  const query = options.query.join(' ');
  if (query.trim() === '')
    throw new DriftlessError(
      'INVALID_ARGUMENT',
      'Nothing to search for: give words, a "phrase" or a filter such as tag:recipes, e.g. driftless search "sourdough starter".',
    );
  const args: ApiArgs<'search'> = { query };
  if (options.limit !== undefined) args.limit = options.limit;
  if (options.mode) args.mode = options.mode;
  const filters = await searchFilters(api, options);
  if (Object.keys(filters).length > 0) args.filters = filters;
  const response = await api.search(args);
  if (options.json) return void io.stdout.write(formatJson(response));
  const folders = await api.listFolders({});
  if (folders.length === 0)
    return void io.stdout.write(
      'No results: no folders have been added yet. Add one with `driftless add <folder>`, e.g. driftless add ~/notes\n',
    );
  io.stdout.write(formatSearch(response, folders, io.stdout.isTTY === true));
}

async function searchFilters(api: DriftlessApi, options: SearchOptions): Promise<SearchFilters> {
  const filters: SearchFilters = {};
  if (options.tag?.length) filters.tags = options.tag;
  if (options.folder) filters.folderIds = [(await resolveFolder(api, options.folder)).id];
  if (options.path) filters.pathGlob = options.path;
  if (options.after) filters.modifiedAfterMs = parseDate(options.after, '--after');
  if (options.before) filters.modifiedBeforeMs = parseDate(options.before, '--before');
  return filters;
}

/** Accepts what `Date.parse` accepts (e.g. `2024-05-01`, `2024-05-01T12:00`), as milliseconds. */
export function parseDate(value: string, flag: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || ms < 0) {
    throw new DriftlessError('INVALID_ARGUMENT', `${flag} needs a date such as 2024-05-01, not "${value}".`);
  }
  return ms;
}

export function registerSearch(program: Command, context: CliContext): void {
  program
    .command('search')
    .description('search your notes')
    .argument('<query...>', 'what to look for')
    .option('--json', 'print SearchResponse as JSON')
    .option('--limit <n>', 'number of results (1-200)', integerFrom(1, 200))
    .option('--tag <tag>', 'only notes with this tag (repeatable)', collect)
    .option('--folder <id>', 'only this folder (id or path)')
    .option('--path <glob>', 'only note paths matching this glob')
    .option('--after <date>', 'only notes modified after this date')
    .option('--before <date>', 'only notes modified before this date')
    .addOption(new Option('--mode <mode>', 'ranking mode').choices(['hybrid', 'dense', 'text']))
    .action((query: string[], options: Omit<SearchOptions, 'query'>, command: Command) =>
      context.withApp(command, (session) => searchCommand(session.api, { query, ...options }, context.io)),
    );
}
