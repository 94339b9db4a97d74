import { appendFileSync } from 'node:fs';
import { lanceMergeBuilderPrototype, lanceTablePrototype, lanceWriteMethods } from './lanceWrites.ts';

/**
 * Appends `B <pid>` before and `E <pid>` after every LanceDB table write of this process to a log
 * shared by several processes (O_APPEND keeps the lines whole), so a test can check that writes of
 * two processes never overlapped. Writes to a process's private scratch index under the data
 * folder's `tmp/` (the fusion check's validation index) are left out: no other process reads them.
 */
export function logIndexWrites(logFile: string): void {
  const tableOf = new WeakMap<object, string>();
  for (const [owner, name] of lanceWriteMethods()) {
    const original = owner[name] as (...args: unknown[]) => Promise<unknown>;
    owner[name] = async function (this: object, ...args: unknown[]) {
      const table = tableOf.get(this) ?? describeTable(this);
      if (isScratch(table)) return original.apply(this, args);
      appendFileSync(logFile, `B ${process.pid} ${name} ${table}\n`);
      try {
        return await original.apply(this, args);
      } finally {
        appendFileSync(logFile, `E ${process.pid}\n`);
      }
    };
  }
  // A merge-insert runs through a builder that does not name its table: remember it at creation.
  const table = lanceTablePrototype();
  const mergeInsert = table.mergeInsert as (this: object, ...args: unknown[]) => object;
  table.mergeInsert = function (this: object, ...args: unknown[]) {
    const builder = mergeInsert.apply(this, args);
    tableOf.set(builder, describeTable(this));
    return builder;
  };
  // Each step of the builder (whenMatchedUpdateAll...) returns a new builder of the same table.
  const builder = lanceMergeBuilderPrototype();
  for (const step of Object.getOwnPropertyNames(builder)) {
    const original = builder[step];
    if (step === 'constructor' || step === 'execute' || typeof original !== 'function') continue;
    builder[step] = function (this: object, ...args: unknown[]) {
      const next = (original as (...a: unknown[]) => unknown).apply(this, args);
      const table = tableOf.get(this);
      if (table !== undefined && typeof next === 'object' && next !== null) tableOf.set(next, table);
      return next;
    };
  }
}

/** `NativeTable(<name>, uri=<path>, ...)` for a table, empty for anything else. */
function describeTable(value: object): string {
  const display = (value as { display?: () => string }).display;
  return typeof display === 'function' ? display.call(value) : '';
}

function isScratch(description: string): boolean {
  return /[\\/]tmp[\\/]fusion-\d+[\\/]/.test(description);
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
