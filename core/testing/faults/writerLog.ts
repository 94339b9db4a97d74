import { appendFileSync } from 'node:fs';
import { lanceWriteMethods } from './lanceWrites.ts';

/**
 * Appends `B <pid>` before and `E <pid>` after every LanceDB table write of this process to a log
 * shared by several processes (O_APPEND keeps the lines whole), so a test can check that writes of
 * two processes never overlapped.
 */
export function logIndexWrites(logFile: string): void {
  for (const [owner, name] of lanceWriteMethods()) {
    const original = owner[name] as (...args: unknown[]) => Promise<unknown>;
    owner[name] = async function (this: unknown, ...args: unknown[]) {
      appendFileSync(logFile, `B ${process.pid}\n`);
      try {
        return await original.apply(this, args);
      } finally {
        appendFileSync(logFile, `E ${process.pid}\n`);
      }
    };
  }
}

/** The first place in a shared write log where a second process wrote while another was writing. */
export function findOverlap(log: string): string | undefined {
  const open = new Map<string, number>();
  const lines = log.split('\n').filter(Boolean);
  for (const [i, line] of lines.entries()) {
    const [mark, pid] = line.split(' ') as [string, string];
    if (mark === 'B') {
      const others = [...open.keys()].filter((other) => other !== pid);
      if (others.length > 0)
        return `line ${i + 1}: pid ${pid} started writing while ${others.join(', ')} was`;
      open.set(pid, (open.get(pid) ?? 0) + 1);
    } else {
      const depth = (open.get(pid) ?? 1) - 1;
      if (depth === 0) open.delete(pid);
      else open.set(pid, depth);
    }
  }
  return undefined;
}
