import type { Plugin } from 'vite';
import { META_CONTENT_SECURITY_POLICY } from '../core/service/contentSecurityPolicy.ts';

/** Writes the app's one Content-Security-Policy into index.html, first in <head>, before any script. */
export function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'driftless-content-security-policy',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: META_CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}
