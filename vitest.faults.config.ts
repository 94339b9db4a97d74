import { defineConfig } from 'vitest/config';

/**
 * The fault-injection suite (`npm run test:faults`): crashes, full disks, concurrent writers. Each
 * file spawns and kills real processes, so files run one at a time with generous timeouts.
 */
export default defineConfig({
  test: {
    include: ['core/**/*.faults.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
