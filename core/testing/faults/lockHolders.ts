import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './childProcess.ts';

export interface LockHolder {
  pid: number;
  /** Kills the holder (SIGKILL, as a crash) and resolves once it exited. */
  kill(): Promise<void>;
}

/**
 * Starts a real process that takes the writer lock `lockPath` (lockHolder.ts) and resolves once it
 * holds it. 'hang' blocks its event loop afterwards: alive, but its heartbeat stops; 'hold' keeps
 * beating and never releases (a job that never ends). `as` is what its lock says it is doing.
 */
export function startLockHolder(
  lockPath: string,
  heartbeatMs: number,
  mode: 'hold' | 'hang',
  as: { purpose: string; command?: string } = { purpose: 'the lock test' },
): Promise<LockHolder> {
  const child = spawn(
    process.execPath,
    [
      path.join(REPO_ROOT, 'bin/run-ts.mjs'),
      path.join(REPO_ROOT, 'core/testing/faults/lockHolder.ts'),
      lockPath,
      String(heartbeatMs),
      mode,
      as.purpose,
      ...(as.command ? [as.command] : []),
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.stdout!.setEncoding('utf8').on('data', (text: string) => {
      if (text.includes('held')) resolve({ pid: child.pid!, kill: () => killed(child) });
    });
    child.once('exit', (code) =>
      reject(new Error(`The lock holder exited (${code}) before holding: ${stderr}`)),
    );
  });
}

function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
}
