/** A run of snippet text, marked when it lies inside a highlight range. */
export interface Segment {
  text: string;
  mark: boolean;
}

/**
 * Splits a snippet into plain and marked runs from `[start, end)` ranges. Ranges are clamped,
 * sorted and merged, so overlapping or out-of-bounds ranges from the server cannot garble the text.
 * The caller renders each run as a text node; note text never becomes markup.
 */
export function snippetSegments(
  snippet: string,
  highlights: ReadonlyArray<readonly [number, number]>,
): Segment[] {
  const segments: Segment[] = [];
  let cursor = 0;
  for (const [start, end] of mergeRanges(snippet.length, highlights)) {
    if (start > cursor) segments.push({ text: snippet.slice(cursor, start), mark: false });
    segments.push({ text: snippet.slice(start, end), mark: true });
    cursor = end;
  }
  if (cursor < snippet.length) segments.push({ text: snippet.slice(cursor), mark: false });
  return segments;
}

function mergeRanges(
  length: number,
  ranges: ReadonlyArray<readonly [number, number]>,
): Array<[number, number]> {
  const clamped = ranges
    .map(([s, e]): [number, number] => [Math.max(0, Math.min(s, length)), Math.max(0, Math.min(e, length))])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const range of clamped) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push(range);
  }
  return merged;
}
