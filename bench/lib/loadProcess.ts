import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { log } from './log.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What a load process printed on its `RESULT` line, and how it ended. */
export interface ProcessOutcome<T> {
  result: T | undefined;
  code: number | null;
  /** The end of its stderr when it printed no result. */
  stderrTail?: string;
}

/** Runs a TypeScript file of the repository in its own Node process; its stderr goes to ours. */
export function runLoadProcess<T>(file: string, args: string[], name: string): Promise<ProcessOutcome<T>> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin/run-ts.mjs'), path.join(ROOT, file), ...args],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-4000);
      for (const line of text.split('\n')) if (line.trim()) log(`${name}: ${line}`);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = stdout.split('\n').find((entry) => entry.startsWith('RESULT '));
      const result = line ? (JSON.parse(line.slice('RESULT '.length)) as T) : undefined;
      resolve({ result, code, ...(result ? {} : { stderrTail: stderr }) });
    });
  });
}
