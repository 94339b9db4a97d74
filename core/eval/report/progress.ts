import cliProgress from 'cli-progress';
import { estimateEtaSeconds, type ProgressListener } from '../../base/index.ts';

/** Where a progress bar draws: a terminal, or a log that gets a line every few seconds. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * A single progress bar with elapsed time and ETA, fed by ProgressListener reports. `done` may be
 * fractional (how far into the current unit the work is); the bar shows whole units. Units can differ
 * a lot in length (evaluation grows with every task), so the ETA is never shorter than what the
 * current unit alone still needs at its own pace.
 */
export function progressBar(
  stream: ProgressStream,
  label: string,
): { listener: ProgressListener; stop(): void } {
  const bar = new cliProgress.SingleBar(
    {
      stream: stream as NodeJS.WritableStream,
      format: `${label} [{bar}] {value}/{total} | {duration_formatted} elapsed, ETA {etaText} | {detail}`,
      hideCursor: stream.isTTY === true,
      noTTYOutput: stream.isTTY !== true,
      notTTYSchedule: 10_000,
      etaBuffer: 6,
      barsize: 24,
      formatValue: (value, options, type) => (type === 'value' ? String(Math.floor(value)) : String(value)),
    },
    cliProgress.Presets.shades_classic,
  );
  const startedAt = Date.now();
  let unit = -1;
  let unitStartedAt = startedAt;
  let started = false;
  let stopped = false;
  return {
    listener: (progress) => {
      if (stopped) return;
      const total = Math.max(progress.total ?? 1, progress.done, 1);
      if (Math.floor(progress.done) !== unit) {
        unit = Math.floor(progress.done);
        unitStartedAt = Date.now();
      }
      const overall = estimateEtaSeconds(startedAt, progress.done, total);
      const thisUnit = estimateEtaSeconds(unitStartedAt, progress.done - unit, 1);
      const eta = overall === undefined ? undefined : Math.max(overall, thisUnit ?? 0);
      const payload = { detail: progress.detail ?? progress.phase, etaText: formatSeconds(eta) };
      if (!started) {
        started = true;
        bar.start(total, progress.done, payload);
      } else {
        bar.setTotal(total);
        bar.update(progress.done, payload);
      }
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      if (started) bar.stop();
    },
  };
}

/** `1h02m`, `4m05s`, `12s`, or `?` while unknown. */
export function formatSeconds(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}
