import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

/**
 * Unit tests of the search window's state classes and pure helpers: `npx vitest run --config
 * renderer/vitest.config.ts`. Runes in `*.svelte.ts` need the Svelte compiler and its browser build.
 */
export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../node_modules/.vite/renderer-tests',
  plugins: [svelte()],
  resolve: { conditions: ['browser'] },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
