// Takes the writer lock and keeps it until killed: beating normally ('hold'), or with its event
// loop blocked for good ('hang': alive, but its heartbeat stops). Prints "held" once it holds it.
// 'hold' is also a writer stuck in a job that never ends: it beats, but never releases.
// usage: lockHolder.ts <lockPath> <heartbeatMs> <hold|hang> [purpose] [command]
import { acquireWriterLock } from '../../jobs/index.ts';

const [lockPath, heartbeatMs, mode, purpose, command] = process.argv.slice(2);
await acquireWriterLock(lockPath!, purpose ?? 'the lock test', {
  heartbeatMs: Number(heartbeatMs),
  ...(command ? { command } : {}),
});
process.stdout.write('held\n', () => {
  if (mode === 'hang') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  else setInterval(() => undefined, 60_000);
});
