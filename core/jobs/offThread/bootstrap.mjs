// Starts a TypeScript worker entry from the sources (tests, the CLI, benchmarks): TypeScript loads
// through tsx in this thread first. The packaged app runs the bundled heavyWork.js instead.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
