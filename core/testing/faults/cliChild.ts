// The `driftless` command line with the deterministic test encoder instead of the bundled one.
// usage: cliChild.ts <cli arguments...>
import { openApp } from '../../app/index.ts';
import { main } from '../../cli/main.ts';
import { FeatureHashingEncoder } from '../featureHashingEncoder.ts';
import { waitAtBarrier } from './barrier.ts';
import { logIndexWrites } from './writerLog.ts';

if (process.env.DRIFTLESS_WRITE_LOG) logIndexWrites(process.env.DRIFTLESS_WRITE_LOG);
const code = await main(process.argv.slice(2), {
  openApp: async (options) => {
    const app = await openApp({
      ...options,
      loadEncoder: async () => new FeatureHashingEncoder({ dimensions: 512 }),
    });
    await waitAtBarrier();
    return app;
  },
});
console.log(`exit ${code}`);
process.exitCode = code;
