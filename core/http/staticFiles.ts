import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ServerResponse } from 'node:http';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/**
 * Resolves a URL path to a regular file inside `root`, or undefined. The decoded path, and then the
 * real path (symbolic links followed), must both stay inside the root; directories are never listed,
 * and `/` means `index.html`.
 */
export async function resolveStaticFile(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  if (decoded === '/' || decoded === '') decoded = '/index.html';
  // A path that does not resolve is answered 404, like one outside the root.
  const realRoot = await fs.realpath(root).catch(() => undefined);
  if (!realRoot) return undefined;
  const candidate = path.join(realRoot, decoded);
  if (!isInside(realRoot, candidate)) return undefined;
  const real = await fs.realpath(candidate).catch(() => undefined);
  if (!real || !isInside(realRoot, real)) return undefined;
  const stat = await fs.stat(real);
  return stat.isFile() ? real : undefined;
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** Streams a resolved file with its content type; HEAD sends headers only. */
export async function sendStaticFile(res: ServerResponse, file: string, headOnly: boolean): Promise<void> {
  const stat = await fs.stat(file);
  res.statusCode = 200;
  res.setHeader(
    'Content-Type',
    CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
  );
  res.setHeader('Content-Length', stat.size);
  res.setHeader('Cache-Control', 'no-cache');
  if (headOnly) return void res.end();
  await new Promise<void>((resolve) => {
    const stream = createReadStream(file);
    stream.on('error', () => (res.destroy(), resolve()));
    res.on('close', () => (stream.destroy(), resolve()));
    stream.pipe(res);
  });
}
