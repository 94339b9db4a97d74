// Kill points for crash tests: a child process arms one and kills itself with SIGKILL when it is
// reached, so the crash lands at an exact place in real code (no mock of what is being crashed).
import { lanceWriteMethods } from './lanceWrites.ts';

/**
 * Where to crash:
 * - `mutation:<n>:before|after`: at the n-th LanceDB table mutation (add, delete, merge-insert).
 * - `fs:<op>:<n>:before|after`: at the n-th call of a `node:fs/promises` function (rename, open, ...).
 * - `none`: never.
 */
export type KillPoint = string;

/** Ends this process as abruptly as a power loss would, from the process's point of view. */
function die(where: string): never {
  process.stderr.write(`kill point reached: ${where}\n`);
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL is delivered at once; this only satisfies the type checker.
  throw new Error('unreachable');
}

type AnyAsync = (...args: unknown[]) => Promise<unknown>;

/** Wraps `owner[name]` so that the `at`-th call (counting from 1) crashes before or after it runs. */
function arm(owner: Record<string, unknown>, name: string, counter: { calls: number }, point: Armed): void {
  const original = owner[name] as AnyAsync;
  owner[name] = async function (this: unknown, ...args: unknown[]) {
    counter.calls++;
    const hit = counter.calls === point.at;
    if (hit && point.when === 'before') die(point.label);
    const result = await original.apply(this, args);
    if (hit && point.when === 'after') die(point.label);
    return result;
  };
}

interface Armed {
  at: number;
  when: 'before' | 'after';
  label: string;
}

/** Installs the kill point described by `spec` in this process; see KillPoint. */
export async function armKillPoint(spec: KillPoint): Promise<void> {
  const parts = spec.split(':');
  if (parts[0] === 'mutation') {
    const point: Armed = { at: Number(parts[1]), when: parts[2] as Armed['when'], label: spec };
    const counter = { calls: 0 };
    for (const [owner, name] of lanceWriteMethods()) arm(owner, name, counter, point);
  } else if (parts[0] === 'fs') {
    const fs = (await import('node:fs/promises')).default as unknown as Record<string, unknown>;
    const point: Armed = { at: Number(parts[2]), when: parts[3] as Armed['when'], label: spec };
    arm(fs, parts[1]!, { calls: 0 }, point);
  } else if (spec !== 'none') {
    throw new Error(`Unknown kill point ${spec}`);
  }
}
