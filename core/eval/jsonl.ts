import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { DriftlessError, throwIfAborted } from '../base/index.ts';

/** One line of a text file, numbered from 1. */
export interface NumberedLine {
  text: string;
  line: number;
}

/**
 * Streams the lines of a UTF-8 file one at a time (CRLF and a leading byte-order mark tolerated), so corpora far larger than memory
 * can be read. Throws NOT_FOUND when the file does not exist.
 */
export async function* readLines(file: string, signal?: AbortSignal): AsyncGenerator<NumberedLine> {
  await assertReadable(file);
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line += 1;
      throwIfAborted(signal);
      // Files saved by some Windows editors start with a byte-order mark, which is not content.
      yield { text: line === 1 ? text.replace(/^\uFEFF/, '') : text, line };
    }
  } finally {
    lines.close();
  }
}

/** Streams the JSON objects of a JSON-lines file; blank lines are skipped. */
export async function* readJsonObjects(
  file: string,
  signal?: AbortSignal,
): AsyncGenerator<{ value: Record<string, unknown>; line: number }> {
  for await (const { text, line } of readLines(file, signal)) {
    if (text.trim() === '') continue;
    yield { value: parseObject(text, file, line), line };
  }
}

function parseObject(text: string, file: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalidLine(file, line, `malformed JSON (${reason})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidLine(file, line, 'expected a JSON object');
  }
  return value as Record<string, unknown>;
}

/** An INVALID_ARGUMENT error that names the file and line, the way every reader error here does. */
export function invalidLine(file: string, line: number, problem: string): DriftlessError {
  return new DriftlessError('INVALID_ARGUMENT', `${file}:${line}: ${problem}`, { file, line });
}

async function assertReadable(file: string): Promise<void> {
  try {
    await access(file);
  } catch (error) {
    throw new DriftlessError('NOT_FOUND', `File not found: ${file}`, { file }, { cause: error });
  }
}
