import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Evaluation } from '../../eval/index.ts';
import type { CliContext } from '../context.ts';
import type { AppSession, Io } from '../io.ts';
import { runJobs } from '../jobs.ts';
import { parseInteger } from '../parse.ts';

type Mode = 'text' | 'dense' | 'hybrid';
const MODES: readonly Mode[] = ['text', 'dense', 'hybrid'];
/** Results per query: 100 for Recall@100, one more when a query's own doc is dropped afterwards. */
const RESULTS = 100;

export interface EvalRetrievalOptions {
  split?: string;
  mode?: Mode[];
  limitQueries?: number;
  json?: boolean;
  out?: string;
}

export interface RetrievalResult {
  dataset: string;
  split: string;
  queries: number;
  excludeSelf: boolean;
  modes: Record<string, Evaluation['metrics']>;
}

/**
 * Imports a materialised BEIR corpus as a folder of notes, searches every judged query in each mode
 * with the current encoder version, and scores the rankings (nDCG@10, Recall@10/100, MRR@10).
 * The folder is removed from the index afterwards.
 */
export async function evalRetrievalCommand(
  session: AppSession,
  dataset: { dir: string; notesDir: string },
  options: EvalRetrievalOptions,
  io: Io,
): Promise<RetrievalResult> {
  // Loaded when the command runs: the report module brings the trainer and the index with it, and
  // the dataset readers bring YAML.
  const { judgedQueries, queriesAreDocs, retrievalMarkdown, searchRun, stableJson } = await import(
    '../../eval/report/index.ts'
  );
  const { evaluateRun, materializeCorpus, readBeirDataset } = await import('../../eval/index.ts');
  const split = options.split ?? 'test';
  const data = await readBeirDataset(dataset.dir, { split, unknownIds: 'drop' });
  const queries = judgedQueries(data, options.limitQueries);
  // Only the queries that are run count (--limit-queries), as in bench/retrieval.
  const qrels = new Map(queries.map((query) => [query.id, data.qrels.get(query.id)!]));
  const excludeSelf = queriesAreDocs(queries, new Set(data.corpus.map((doc) => doc.id)));
  const notes = await materializeCorpus(data.corpus, dataset.notesDir, { total: data.corpus.length });
  const { result: folder } = await runJobs(session, io, () => session.api.addFolder({ path: notes.folder }));
  try {
    const evaluations: Array<{ mode: Mode; evaluation: Evaluation }> = [];
    for (const mode of options.mode ?? MODES) {
      const limit = RESULTS + (excludeSelf ? 1 : 0);
      const run = await searchRun(session.api, queries, { mode, limit, noteToDoc: notes.noteToDoc });
      evaluations.push({ mode, evaluation: evaluateRun(run, qrels, { excludeSelf }) });
    }
    const name = path.basename(path.resolve(dataset.dir));
    const result: RetrievalResult = {
      dataset: name,
      split,
      queries: queries.length,
      excludeSelf,
      modes: Object.fromEntries(evaluations.map(({ mode, evaluation }) => [mode, evaluation.metrics])),
    };
    io.stdout.write(options.json ? stableJson(result) : retrievalMarkdown(name, evaluations));
    return result;
  } finally {
    await session.api.removeFolder({ folderId: folder.id });
  }
}

function parseModes(value: string): Mode[] {
  const modes = [...new Set(value.split(',').map((mode) => mode.trim()))];
  if (modes.length === 0 || modes.some((mode) => !(MODES as readonly string[]).includes(mode)))
    throw new InvalidArgumentError(`Modes must be among ${MODES.join(', ')}.`);
  return modes as Mode[];
}

export function registerEvalRetrieval(parent: Command, context: CliContext): void {
  parent
    .command('retrieval')
    .description('nDCG@10, Recall@10/100 and MRR@10 of text, dense and hybrid search on a BEIR dataset')
    .argument('<dataset>', 'dataset folder in BEIR layout')
    .option('--split <name>', 'qrels split to score (default test)')
    .addOption(
      new Option('--mode <list>', 'comma-separated modes (default text,dense,hybrid)').argParser(parseModes),
    )
    .option('--limit-queries <n>', 'only the first n judged queries', parseInteger)
    .option('--json', 'print the metrics as JSON')
    .action(async (dir: string, options: EvalRetrievalOptions, command: Command) => {
      // Without --data-dir the dataset goes into a scratch data folder, never into the user's library.
      const scratch = await mkdtemp(path.join(os.tmpdir(), 'driftless-eval-'));
      const root = command.parent?.parent;
      if (root && root.opts<{ dataDir?: string }>().dataDir === undefined)
        root.setOptionValue('dataDir', path.join(scratch, 'data'));
      try {
        await context.withApp(command, (session) =>
          evalRetrievalCommand(session, { dir, notesDir: path.join(scratch, 'notes') }, options, context.io),
        );
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    });
}
