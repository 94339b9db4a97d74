import path from 'node:path';
import type { Command } from 'commander';
import { DriftlessError, ERROR_CODES, type ErrorCode } from '../../base/index.ts';
import type { DriftlessApi, JobInfo, ModelInfo } from '../../service/index.ts';
import type { CliContext } from '../context.ts';
import { formatBytes, formatJson } from '../format.ts';
import { interruption, type AppSession, type Io } from '../io.ts';
import { runJobs } from '../jobs.ts';

/** Lists the catalogue with each model's install state; `--json` prints the contract's ModelInfo[]. */
export async function listModelsCommand(
  api: DriftlessApi,
  options: { json?: boolean },
  io: Io,
): Promise<ModelInfo[]> {
  const models = await api.listModels({});
  io.stdout.write(options.json ? formatJson(models) : formatModels(models));
  return models;
}

export function formatModels(models: ModelInfo[]): string {
  const lines = models.map((model) => {
    const state = !model.installed
      ? 'not installed'
      : model.verified === false
        ? 'installed, FILES CHANGED (remove and download again)'
        : 'installed, verified';
    const size = model.sizeBytes === undefined ? '' : `, ${formatBytes(model.sizeBytes)}`;
    return `${model.id.padEnd(24)} ${state}\n${' '.repeat(25)}${model.name}: ${model.dimensions} dims, ${model.maxTokens} tokens, ${model.pooling} pooling, ${model.licence}${size}\n`;
  });
  const used = models.find((model) => model.usedForSearch);
  const searching = used
    ? `Search uses ${used.id}; \`driftless models use bundled\` switches back to the bundled encoder.`
    : 'Search uses the bundled encoder; `driftless models use <id>` switches to an installed model.';
  return `${lines.join('')}\n${searching}\n`;
}

/**
 * Switches search to an installed model (or `bundled`): every note is embedded again with it, with
 * a progress bar; search keeps using the current model until that is done. Ctrl-C cancels, and
 * running the command again continues where the build stopped.
 */
export async function useModelCommand(session: AppSession, options: { id: string }, io: Io): Promise<void> {
  await runJobs(session, io, async () => (await session.api.useModel({ id: options.id })).jobId);
  const status = await session.api.status({});
  io.stdout.write(
    `Search uses ${options.id === 'bundled' ? 'the bundled encoder' : options.id} (${status.encoder.dimensions} dimensions) for ${status.notes} notes.\n`,
  );
}

/**
 * Downloads a model in a background job, with a progress bar (bytes and ETA) on a terminal.
 * Ctrl-C cancels; the partial files are kept, so running the command again resumes.
 * @throws DriftlessError OFFLINE when the host cannot be reached, CANCELLED on interrupt, else the job's code.
 */
export async function downloadModelCommand(
  session: AppSession,
  options: { id: string },
  io: Io,
): Promise<void> {
  // cli-progress loads only for a terminal.
  const bar = io.stderr.isTTY ? new (await import('../progressBars.ts')).ByteBar(io.stderr) : undefined;
  const seen = new Map<string, JobInfo>();
  const unsubscribe = session.events.on((event) => {
    if (event.type !== 'job' || event.job.kind !== 'download') return;
    seen.set(event.job.id, event.job);
    bar?.update(event.job);
  });
  const interrupt = interruption(io);
  try {
    const { jobId } = await session.api.downloadModel({ id: options.id });
    if (!interrupt.fired) await Promise.race([session.idle(), interrupt.promise]);
    // A download that finished or failed meanwhile cannot be cancelled; its outcome is reported below.
    if (interrupt.fired) await session.api.cancelJob({ jobId }).catch(() => undefined);
    await session.idle();
    bar?.stop();
    const job = (await session.api.listJobs({})).find((j) => j.id === jobId) ?? seen.get(jobId);
    if (job?.state !== 'finished') throw downloadFailure(options.id, job);
    const model = (await session.api.listModels({})).find((m) => m.id === options.id);
    io.stdout.write(
      `Downloaded ${options.id} (${formatBytes(model?.sizeBytes)}, verified). \`driftless models use ${options.id}\` makes search use it.\n`,
    );
  } finally {
    bar?.stop();
    unsubscribe();
    interrupt.dispose();
  }
}

function downloadFailure(id: string, job: JobInfo | undefined): DriftlessError {
  const retry = `Run \`driftless models download ${id}\` again to resume where it stopped.`;
  if (!job || job.state === 'cancelled')
    return new DriftlessError('CANCELLED', `Download cancelled. ${retry}`);
  const code: ErrorCode =
    job.errorCode && job.errorCode in ERROR_CODES ? (job.errorCode as ErrorCode) : 'INTERNAL';
  if (code === 'OFFLINE')
    return new DriftlessError(
      'OFFLINE',
      `Offline: the model host cannot be reached (${job.error ?? 'no connection'}). Check the network connection. ${retry}`,
    );
  return new DriftlessError(code, `${job.label} failed: ${job.error ?? 'unknown error'}`, { jobId: job.id });
}

/** Installs a model from a local folder holding its files (checked against the catalogue). */
export async function importModelCommand(
  api: DriftlessApi,
  options: { id: string; folder: string },
  io: Io,
): Promise<ModelInfo> {
  const model = await api.importModel({ id: options.id, path: path.resolve(options.folder) });
  io.stdout.write(`Imported ${model.id} from ${path.resolve(options.folder)} (verified).\n`);
  return model;
}

export async function removeModelCommand(api: DriftlessApi, options: { id: string }, io: Io): Promise<void> {
  const { removed } = await api.removeModel({ id: options.id });
  io.stdout.write(removed ? `Removed ${options.id}.\n` : `${options.id} was not installed.\n`);
}

export function registerModels(program: Command, context: CliContext): void {
  const { io } = context;
  const models = program
    .command('models')
    .description('list, download, import and remove sentence-transformer models')
    .option('--json', 'print ModelInfo[] as JSON')
    .action((options: { json?: boolean }, command: Command) =>
      context.withApp(command, (session) => listModelsCommand(session.api, options, io)),
    );
  models
    .command('download')
    .description('download a model of the catalogue (Ctrl-C cancels; running it again resumes)')
    .argument('<id>', 'the model id, as `driftless models` lists it')
    .action((id: string, _options: object, command: Command) =>
      context.withApp(command, (session) => downloadModelCommand(session, { id }, io)),
    );
  models
    .command('import')
    .description('install a model from a local folder holding its files')
    .argument('<id>', 'the model id')
    .argument('<folder>', 'the folder with the model files')
    .action((id: string, folder: string, _options: object, command: Command) =>
      context.withApp(command, (session) => importModelCommand(session.api, { id, folder }, io)),
    );
  models
    .command('use')
    .description('search with an installed model, or `bundled` (embeds every note again; Ctrl-C cancels)')
    .argument('<id>', 'the model id, or bundled')
    .action((id: string, _options: object, command: Command) =>
      context.withApp(command, (session) => useModelCommand(session, { id }, io)),
    );
  models
    .command('remove')
    .description('delete an installed model')
    .argument('<id>', 'the model id')
    .action((id: string, _options: object, command: Command) =>
      context.withApp(command, (session) => removeModelCommand(session.api, { id }, io)),
    );
}
