import cliProgress from 'cli-progress';
import type { JobInfo } from '../service/index.ts';
import { formatBytes, formatEta, sanitize } from './format.ts';
import type { OutputStream } from './io.ts';

// `eta` is a built-in token of cli-progress; the App's own estimate goes in `etaText`. The job's
// detail (a training run's loss and how many steps its time budget fits) comes last, so a narrow
// terminal cuts it before the ETA.
const FORMAT = '{label} [{bar}] {counts} {phase} {etaText}{detailText}';
const LABEL_WIDTH = 32;

/** One progress bar per job on a terminal, fed by the App's job events. */
export class JobProgressBars {
  readonly #multibar: cliProgress.MultiBar;
  readonly #bars = new Map<string, cliProgress.SingleBar>();
  #stopped = false;

  constructor(stream: OutputStream) {
    this.#multibar = new cliProgress.MultiBar(
      {
        stream: stream as NodeJS.WritableStream,
        format: FORMAT,
        hideCursor: true,
        clearOnComplete: false,
        barsize: 24,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  update(job: JobInfo): void {
    // An unknown total (still scanning) shows an empty bar rather than a full one; a finished job's
    // bar is full (a rescan that found nothing to read never learns a total: it showed "3/? finished").
    const finished = job.state === 'finished';
    const known = job.total ?? (finished ? job.done : undefined);
    const total = known === undefined ? 1 : Math.max(known, job.done, 1);
    const value = known === undefined ? 0 : finished ? total : job.done;
    const running = job.state === 'running';
    const payload = {
      label: sanitize(job.label).slice(0, LABEL_WIDTH).padEnd(LABEL_WIDTH),
      counts: `${job.done}/${known ?? '?'}`,
      phase: running ? (job.phase ?? '') : job.state,
      etaText: running ? `ETA ${formatEta(job.etaSeconds)}` : '',
      detailText: running && job.detail ? ` · ${sanitize(job.detail)}` : '',
    };
    const bar = this.#bars.get(job.id);
    if (!bar) return void this.#bars.set(job.id, this.#multibar.create(total, value, payload));
    bar.setTotal(total);
    bar.update(value, payload);
  }

  /** Prints a line (ending in a newline) above the bars. */
  log(line: string): void {
    this.#multibar.log(line);
  }

  /** Leaves the bars on screen and restores the cursor; safe to call twice. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#multibar.stop();
  }
}

/** One progress bar in bytes, fed by the download job's events. */
export class ByteBar {
  readonly #bar: cliProgress.SingleBar;
  #started = false;
  #stopped = false;

  constructor(stream: OutputStream) {
    this.#bar = new cliProgress.SingleBar(
      {
        stream: stream as NodeJS.WritableStream,
        format: '{label} [{bar}] {bytes} {etaText}',
        hideCursor: true,
        barsize: 24,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  update(job: JobInfo): void {
    if (this.#stopped) return;
    const total = Math.max(job.total ?? 1, job.done, 1);
    const payload = {
      label: sanitize(job.label),
      bytes: `${formatBytes(job.done)}/${job.total === undefined ? '?' : formatBytes(job.total)}`,
      etaText: job.state === 'running' ? `ETA ${formatEta(job.etaSeconds)}` : job.state,
    };
    if (!this.#started) this.#bar.start(total, job.total === undefined ? 0 : job.done, payload);
    this.#started = true;
    this.#bar.setTotal(total);
    this.#bar.update(job.total === undefined ? 0 : job.done, payload);
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#started) this.#bar.stop();
  }
}
