import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { contentSecurityPolicyMeta } from './cspMeta.ts';

/** The search window: one static bundle served by Electron (file://) and by the local web mode. */
export default defineConfig({
  root: import.meta.dirname,
  // Relative asset URLs work under file:// in Electron and under any path in web mode.
  base: './',
  // The Content-Security-Policy <meta> comes from core/service, like Electron's and the web mode's headers.
  plugins: [svelte(), contentSecurityPolicyMeta()],
  // The preview's Markdown worker (lib/previewMarkdown.ts) is a module worker, like the page's script.
  worker: { format: 'es', plugins: () => [withoutDom()] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Inline assets would need data: URLs in script-src; keep every asset a file.
    assetsInlineLimit: 0,
    target: 'es2022',
  },
});

/**
 * The browser build of micromark's character-reference decoder (`index.dom.js`) creates a DOM element
 * when it loads, and a worker has no `document`: the worker takes the package's table-based build
 * (`index.js`, its `worker` and default export) instead.
 */
function withoutDom(): Plugin {
  return {
    name: 'driftless-worker-without-dom',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (source !== 'decode-named-character-reference') return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved && { ...resolved, id: resolved.id.replace(/index\.dom\.js$/, 'index.js') };
    },
  };
}
