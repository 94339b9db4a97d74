import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTENT_SECURITY_POLICY } from '../service/index.ts';

/** Headers sent with every response. */
export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

/**
 * Defends against DNS rebinding and cross-site requests: the Host header must name this server by
 * loopback address or `localhost` with its port, and an Origin header, when sent, must be that host.
 */
export function isTrustedOrigin(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return false;
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://${host}`;
}
