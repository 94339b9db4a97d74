import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The query parameter that carries the token on the event stream, and only there: `EventSource`
 * cannot set headers. The page sends the request to its own origin only, with no referrer.
 */
export const EVENTS_TOKEN_PARAM = 'token';

/** A fresh per-run secret: 32 random bytes, base64url. */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison; hashing first makes lengths equal so the length does not leak either. */
export function tokensMatch(expected: string, candidate: string | undefined): boolean {
  if (candidate === undefined) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(candidate).digest();
  return timingSafeEqual(a, b);
}

/**
 * The token a request presents: the `Authorization: Bearer` header, or on the event stream the
 * `token` query parameter. Never a cookie: browsers scope cookies to the host and not the port, so
 * they would send it to any other server on 127.0.0.1 too (and two servers would overwrite each
 * other's). A header or a query parameter is only ever sent where the page's own script sends it.
 */
export function presentedToken(
  req: IncomingMessage,
  path: string,
  query: URLSearchParams,
): string | undefined {
  const header = req.headers.authorization;
  if (header !== undefined) return /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (path === '/api/events') return query.get(EVENTS_TOKEN_PARAM) ?? undefined;
  return undefined;
}
