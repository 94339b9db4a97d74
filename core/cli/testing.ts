/** Helpers for driving `main()` in tests: captured output streams and a hand-fired interrupt. */
import { openApp } from '../app/index.ts';
import type { App, AppOptions } from '../app/types.ts';
import { Emitter } from '../base/index.ts';
import type { Encoder } from '../encoder/index.ts';
import type { OutputStream } from './io.ts';
import { main } from './main.ts';

export class CapturedStream implements OutputStream {
  text = '';
  readonly columns = 100;
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** An interrupt source the test fires by hand, standing in for SIGINT. */
export class ManualInterrupts {
  readonly #emitter = new Emitter<void>();
  readonly subscribe = (listener: () => void): (() => void) => this.#emitter.on(listener);
  fire(): void {
    this.#emitter.emit();
  }
  get listeners(): number {
    return this.#emitter.size;
  }
}

/** Runs one `driftless` command on `dataDir` with `encoder`, no terminal, no browser, no interrupts. */
export function runCli(
  dataDir: string,
  encoder: Encoder,
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCliWith(dataDir, (options) => openApp({ ...options, loadEncoder: async () => encoder }), ...argv);
}

/** Runs one `driftless` command on `dataDir`, opening the app with `open`. */
export async function runCliWith(
  dataDir: string,
  open: (options: AppOptions) => Promise<App>,
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new CapturedStream();
  const stderr = new CapturedStream();
  const code = await main(['--data-dir', dataDir, ...argv], {
    openApp: open,
    stdout,
    stderr,
    onInterrupt: () => () => undefined,
    env: {},
    openUrl: () => undefined,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
