import fsPromises from 'node:fs/promises';
import { lanceWriteMethods } from './lanceWrites.ts';

type FsFunctionName = 'open' | 'rename' | 'mkdir' | 'writeFile' | 'appendFile' | 'rm';

/** An error as Node's file system functions raise it. */
export function errnoError(errno: string, syscall: string, filePath: string): NodeJS.ErrnoException {
  const messages: Record<string, string> = {
    ENOSPC: 'no space left on device',
    EROFS: 'read-only file system',
    EACCES: 'permission denied',
  };
  const error = new Error(
    `${errno}: ${messages[errno] ?? 'failed'}, ${syscall} '${filePath}'`,
  ) as NodeJS.ErrnoException;
  error.code = errno;
  error.syscall = syscall;
  error.path = filePath;
  return error;
}

export interface FsFault {
  /** How many calls failed so far. */
  readonly failures: number;
  /** Ends the fault ("space returns"); later calls run normally. */
  restore(): void;
}

/**
 * Makes `node:fs/promises` fail like a full disk or a read-only folder: every call of the named
 * functions whose path matches `affects` throws `errno` until `restore` runs. Core code reaches the
 * disk through this same module object, so the fault lands exactly where a real one would.
 */
export function injectFsFault(
  functions: FsFunctionName[],
  errno: 'ENOSPC' | 'EROFS' | 'EACCES',
  affects: (filePath: string) => boolean,
): FsFault {
  const target = fsPromises as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const originals = new Map(functions.map((name) => [name, target[name]!]));
  let failures = 0;
  for (const [name, original] of originals) {
    target[name] = async (...args: unknown[]) => {
      const filePath = String(args[0]);
      if (affects(filePath)) {
        failures++;
        throw errnoError(errno, name, filePath);
      }
      return original(...args);
    };
  }
  return {
    get failures() {
      return failures;
    },
    restore: () => originals.forEach((original, name) => (target[name] = original)),
  };
}

/**
 * Makes LanceDB's table writes (add, delete, merge-insert) fail as they do on a full disk, until
 * `restore`. The native writer cannot be reached from JavaScript, so the fault sits at the calls
 * the store makes into it.
 */
export function injectIndexWriteFault(): FsFault {
  const targets = lanceWriteMethods();
  const originals = targets.map(([owner, name]) => owner[name]);
  let failures = 0;
  for (const [owner, name] of targets) {
    owner[name] = async () => {
      failures++;
      throw new Error('lance error: Io: No space left on device (os error 28)');
    };
  }
  return {
    get failures() {
      return failures;
    },
    restore: () => targets.forEach(([owner, name], i) => (owner[name] = originals[i])),
  };
}
