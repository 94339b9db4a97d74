import { DriftlessError } from '../../base/index.ts';
import type { ParsedNote } from '../../ingest/index.ts';
import type { ParseCall } from './calls.ts';
import { OffThreadHost } from './host.ts';

/**
 * The parsing thread's heap: a parse that needs more (a runaway input) kills that thread alone, and
 * its note is skipped, instead of taking the app down. A 10 MB note (the default file limit) parses
 * in well under a tenth of this.
 */
const PARSE_HEAP_MB = 1024;

let shared: OffThreadHost | undefined;

/**
 * The process's note-parsing thread: the heavy-work thread's code started a second time, not that
 * thread itself, so that a parse never waits behind a training step or a fit (seconds of
 * synchronous work there), and a note that kills its thread takes no encoder or training run with
 * it. One thread: an import parses one note at a time.
 */
export function sharedParseHost(): OffThreadHost {
  shared ??= new OffThreadHost({
    name: 'the note-parsing thread',
    resourceLimits: { maxOldGenerationSizeMb: PARSE_HEAP_MB },
  });
  return shared;
}

export interface OffThreadParseOptions {
  signal?: AbortSignal;
  /** The thread to parse on (default: sharedParseHost()). */
  host?: OffThreadHost;
}

/**
 * `parseNote` on the note-parsing thread: the same result, CANCELLED once `signal` aborts (heard
 * between pieces of a Markdown note). A thread that dies during the parse is started again and the
 * note parsed once more, since the death may not be this note's doing (a restart, another call);
 * a second death fails with INTERNAL, details `{ threadStopped: true }`, for the caller to skip
 * this note and go on.
 */
export async function parseNoteOffThread(
  relPath: string,
  content: string,
  options: OffThreadParseOptions = {},
): Promise<ParsedNote> {
  const host = options.host ?? sharedParseHost();
  const call = () =>
    host.call<ParsedNote>('parseNote', { relPath, content } satisfies ParseCall, {
      ...(options.signal ? { signal: options.signal } : {}),
    });
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!threadStopped(error)) throw error;
      if (attempt === 2) throw stoppedTwice(error as DriftlessError);
    }
  }
}

function stoppedTwice(error: DriftlessError): DriftlessError {
  const reason = error.cause instanceof Error ? error.cause.message : String(error.cause);
  return new DriftlessError(
    'INTERNAL',
    `The note-parsing thread stopped twice while parsing this note (${reason}).`,
    { threadStopped: true },
    { cause: error },
  );
}

function threadStopped(error: unknown): boolean {
  return error instanceof DriftlessError && error.details?.['threadStopped'] === true;
}
