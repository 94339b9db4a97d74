import type { App } from '../../app/index.ts';

/**
 * Kill points at a job's progress instead of at a system call: `phase:<name>:<n>` ends the process
 * with SIGKILL when a job reports phase `<name>` for the n-th time (counting from 1), e.g.
 * `phase:train:7` at the seventh training step, `phase:fit-compensator:1` while fitting the
 * compensator. Other specs are left to `armKillPoint`. Returns whether `spec` was one of these.
 */
export function armPhaseKill(events: App['events'], spec: string): boolean {
  const [kind, phase, nth] = spec.split(':');
  if (kind !== 'phase' || !phase) return false;
  let seen = 0;
  events.on((event) => {
    if (event.type !== 'job' || event.job.phase !== phase || event.job.state !== 'running') return;
    if (++seen < Number(nth ?? 1)) return;
    process.stderr.write(`kill point reached: ${spec}\n`);
    process.kill(process.pid, 'SIGKILL');
  });
  return true;
}
