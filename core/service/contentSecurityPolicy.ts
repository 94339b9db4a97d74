/**
 * The one Content-Security-Policy of the search window, whichever way it is served: Electron's
 * response headers, the local web mode's headers, and the `<meta>` tag the renderer build writes
 * into index.html (the only carrier under file://). Own scripts and styles only, no inline code, no
 * network beyond the app itself. Runtime-neutral: the renderer's build config imports it too.
 */
const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
] as const;

export const CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ');

/** The policy as a `<meta>` tag can carry it: browsers ignore `frame-ancestors` there (headers carry it). */
export const META_CONTENT_SECURITY_POLICY = DIRECTIVES.filter(
  (directive) => !directive.startsWith('frame-ancestors'),
).join('; ');
