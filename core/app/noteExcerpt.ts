/** The most characters of one note that a preview receives; longer notes arrive as an excerpt. */
export const PREVIEW_MAX_CHARS = 200_000;

/** How far before the requested offset an excerpt starts, so the passage's context shows too. */
const LEAD_CHARS = 20_000;

/** Lines are cut whole unless the nearest line break is further than this. */
const LINE_SNAP_CHARS = 2_000;

export interface NoteExcerpt {
  content: string;
  excerpt?: { start: number; end: number; totalChars: number };
}

/**
 * What a preview receives of a note: all of it when it is short; otherwise at most `max` characters
 * that start a little before `around` (a search hit's offset), cut at line breaks where there are any
 * nearby. Sending and rendering a whole 50 MB note would freeze the window for nothing.
 */
export function noteExcerpt(content: string, around = 0, max = PREVIEW_MAX_CHARS): NoteExcerpt {
  if (content.length <= max) return { content };
  const wanted = Math.min(Math.max(0, around - LEAD_CHARS), content.length - max);
  const start = snapToLineStart(content, wanted);
  const end = snapToLineEnd(content, Math.min(content.length, start + max));
  const from = start + (splitsPair(content, start) ? 1 : 0);
  const to = end - (splitsPair(content, end) ? 1 : 0);
  return { content: content.slice(from, to), excerpt: { start: from, end: to, totalChars: content.length } };
}

function snapToLineStart(content: string, offset: number): number {
  if (offset === 0) return 0;
  const newline = content.indexOf('\n', offset);
  return newline >= 0 && newline - offset <= LINE_SNAP_CHARS ? newline + 1 : offset;
}

function snapToLineEnd(content: string, offset: number): number {
  if (offset === content.length) return offset;
  const newline = content.lastIndexOf('\n', offset);
  return newline >= 0 && offset - newline <= LINE_SNAP_CHARS ? newline : offset;
}

/** Whether a cut at `offset` would fall between the two halves of a surrogate pair. */
function splitsPair(content: string, offset: number): boolean {
  const code = content.charCodeAt(offset);
  return offset > 0 && code >= 0xdc00 && code <= 0xdfff;
}
