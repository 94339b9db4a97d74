import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Opens a URL in the default browser without waiting for it; failures are reported, not thrown. */
export function openUrlInBrowser(url: string, onError: (message: string) => void): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
        : ['xdg-open', [url]];
  const child = spawn(command, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => onError(`could not open a browser; open the URL above yourself.`));
  child.unref();
}

/** A launcher page on disk: its `file://` URL, and how to delete it. */
export interface LauncherPage {
  readonly url: string;
  remove(): Promise<void>;
}

/**
 * Writes a page that forwards the browser to `target` (a URL that carries a secret), so the secret
 * never appears in a command line: a browser or `xdg-open` started with the URL itself would show it
 * to every local user in `ps` and `/proc/<pid>/cmdline`. The opener gets this file's URL instead;
 * the file sits in a fresh folder only the user can enter (mkdtemp: 0700) and is readable by the
 * user only (0600). Jupyter opens its token the same way. The page forwards with a meta refresh (no
 * script needed) and also shows the link.
 */
export async function writeLauncherPage(target: string): Promise<LauncherPage> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-open-'));
  const file = path.join(dir, 'open-driftless.html');
  const href = escapeHtml(target);
  await fs.writeFile(
    file,
    `<!doctype html>\n<meta charset="utf-8">\n<meta name="referrer" content="no-referrer">\n` +
      `<meta http-equiv="refresh" content="0;url=${href}">\n<title>Driftless</title>\n` +
      `<p><a href="${href}">Open Driftless</a></p>\n`,
    { mode: 0o600, flag: 'wx' },
  );
  return {
    url: pathToFileURL(file).href,
    remove: () => fs.rm(dir, { recursive: true, force: true }),
  };
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
