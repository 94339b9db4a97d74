import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'electron/**/*.test.ts', 'bench/**/*.test.ts'],
    // Native bindings (LanceDB, onnxruntime, tfjs) need real processes, not isolated VM contexts.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
