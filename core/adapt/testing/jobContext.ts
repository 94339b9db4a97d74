import { DriftlessError, type Progress } from '../../base/index.ts';
import type { JobContext } from '../../jobs/index.ts';

/** TEST FIXTURE. A JobContext that records progress and can be cancelled by hand. */
export function testJobContext(): JobContext & { progress: Progress[]; cancel(): void } {
  const controller = new AbortController();
  const progress: Progress[] = [];
  return {
    signal: controller.signal,
    progress,
    report: (entry) => progress.push(entry),
    checkpoint: async () => {
      if (controller.signal.aborted) throw new DriftlessError('CANCELLED', 'Cancelled.');
    },
    cancel: () => controller.abort(),
  };
}
