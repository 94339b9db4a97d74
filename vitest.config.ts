import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'core',
          include: ['core/**/*.test.ts', 'electron/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: ['**/*.faults.test.ts', '**/node_modules/**'],
          // Native bindings (LanceDB, onnxruntime, tfjs) need real processes, not isolated VM contexts.
          pool: 'forks',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      'renderer/vitest.config.ts',
    ],
  },
});
