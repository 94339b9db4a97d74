import { noteFormat } from './formats/index.ts';
import { normalizeSource } from './parse/noteBuilder.ts';
import type { ParsedNote } from './types.ts';

/** A day in a file name: 2023-05-08, 2023_05_08 or 2023.05.08, not inside a longer number. */
const NAME_DAY = /(?<!\d)(\d{4})[-_.](\d{2})[-_.](\d{2})(?!\d)/;
/** What a date-only front matter value (`date: 2023-05-08`) becomes once read: UTC midnight. */
const UTC_MIDNIGHT = /^(\d{4})-(\d{2})-(\d{2})T00:00:00\.000Z$/;

function localDay(year: number, month: number, day: number): number | undefined {
  const date = new Date(year, month - 1, day);
  const real = date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day;
  return real ? date.getTime() : undefined;
}

function frontMatterMs(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  // A bare day is that day where the person lives (as `after:` reads days), not UTC midnight.
  const day = UTC_MIDNIGHT.exec(iso);
  if (day) return localDay(Number(day[1]), Number(day[2]), Number(day[3]));
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

function fileNameMs(notePath: string): number | undefined {
  const day = NAME_DAY.exec(notePath.slice(notePath.lastIndexOf('/') + 1));
  return day ? localDay(Number(day[1]), Number(day[2]), Number(day[3])) : undefined;
}

/**
 * The note's own date, which `after:`/`before:` filter on and results show: front matter
 * `date`/`created`, else `updated`, else a day in the file name (`2023-05-08 session 01.md`), else
 * the file's modification time. A journal copied or synced today keeps the day it was written.
 */
export function noteDateMs(
  parsed: Pick<ParsedNote, 'created' | 'updated'>,
  notePath: string,
  mtimeMs: number,
): number {
  return Math.trunc(
    frontMatterMs(parsed.created) ?? frontMatterMs(parsed.updated) ?? fileNameMs(notePath) ?? mtimeMs,
  );
}

/**
 * noteDateMs from a note's source without parsing all of it: only Markdown front matter and the
 * file name can carry a date. For notes indexed before notes had their own dates.
 */
export async function noteDateOfSource(notePath: string, source: string, mtimeMs: number): Promise<number> {
  if (noteFormat(notePath) !== 'markdown') return noteDateMs({}, notePath, mtimeMs);
  // The YAML parser loads only here, not in every process that imports noteDateMs (a search).
  const { splitFrontMatter } = await import('./parse/frontMatter.ts');
  return noteDateMs(splitFrontMatter(normalizeSource(source)).data ?? {}, notePath, mtimeMs);
}
