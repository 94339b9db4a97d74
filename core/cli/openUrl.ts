import { spawn } from 'node:child_process';

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
