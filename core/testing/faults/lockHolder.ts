// Takes the writer lock and keeps it until killed: beating normally ('hold'), or with its event
// loop blocked for good ('hang': alive, but its heartbeat stops). Prints "held" once it holds it.
// usage: lockHolder.ts <lockPath> <heartbeatMs> <hold|hang>
import { acquireWriterLock } from '../../jobs/index.ts';

const [lockPath, heartbeatMs, mode] = process.argv.slice(2);
await acquireWriterLock(lockPath!, 'the lock test', { heartbeatMs: Number(heartbeatMs) });
process.stdout.write('held\n', () => {
  if (mode === 'hang') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  else setInterval(() => undefined, 60_000);
});
