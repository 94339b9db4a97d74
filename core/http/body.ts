import type { IncomingMessage } from 'node:http';

/** Largest accepted API request body. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type BodyResult =
  | { ok: true; value: unknown }
  | { ok: false; status: number; error: { code: string; message: string } };

/**
 * Reads and parses a JSON request body: 415 for another content type, 413 past 1 MB (stops reading
 * at once, whether or not Content-Length was honest), 400 for malformed JSON. An empty body is `{}`.
 */
export async function readJsonBody(req: IncomingMessage): Promise<BodyResult> {
  const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json')
    return failure(415, 'INVALID_ARGUMENT', 'Send the arguments as application/json.');
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return tooLarge(req);
  const chunks = await readUpTo(req, MAX_BODY_BYTES);
  if (!chunks) return tooLarge(req);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return failure(400, 'INVALID_ARGUMENT', 'The request body is not valid JSON.');
  }
}

/** The body's chunks, or undefined as soon as it passes `limit` bytes. */
function readUpTo(req: IncomingMessage, limit: number): Promise<Buffer[] | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      resolve(undefined);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks));
    req.once('error', reject);
  });
}

function tooLarge(req: IncomingMessage): BodyResult {
  // Discard the rest of the body (bounded by the server's request timeout) so the client can read
  // the 413; the response then closes the connection.
  req.resume();
  return failure(413, 'INVALID_ARGUMENT', `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
}

function failure(status: number, code: string, message: string): BodyResult {
  return { ok: false, status, error: { code, message } };
}
