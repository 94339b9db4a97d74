import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { contentSecurityPolicyMeta } from './cspMeta.ts';

/** The search window: one static bundle served by Electron (file://) and by the local web mode. */
export default defineConfig({
  root: import.meta.dirname,
  // Relative asset URLs work under file:// in Electron and under any path in web mode.
  base: './',
  // The Content-Security-Policy <meta> comes from core/service, like Electron's and the web mode's headers.
  plugins: [svelte(), contentSecurityPolicyMeta()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Inline assets would need data: URLs in script-src; keep every asset a file.
    assetsInlineLimit: 0,
    target: 'es2022',
  },
});
