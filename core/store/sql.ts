import type { ChunkFilters } from './types.ts';

/** A SQL string literal: single quotes doubled, so any value is safe inside a `where` string. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A SQL number literal; rejects NaN and infinities, which have no literal. */
export function sqlNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`Not a finite number: ${value}`);
  return String(value);
}

export function sqlIn(column: string, values: readonly string[]): string {
  return `${column} IN (${values.map(sqlString).join(', ')})`;
}

/** Joins conditions with AND; undefined when there are none (LanceDB rejects an empty `where`). */
export function sqlAnd(conditions: ReadonlyArray<string | undefined>): string | undefined {
  const present = conditions.filter((condition): condition is string => Boolean(condition));
  if (present.length === 0) return undefined;
  return present.map((condition) => `(${condition})`).join(' AND ');
}

/**
 * The part of the filters SQL can express. The path glob is not in here: picomatch semantics
 * have no faithful SQL form, so callers apply it in JS (see `pathMatcher`).
 */
export function filtersToSql(filters: ChunkFilters | undefined): string | undefined {
  if (!filters) return undefined;
  const { folderIds, tags, modifiedAfterMs, modifiedBeforeMs, excludeChunkIds } = filters;
  return sqlAnd([
    folderIds ? (folderIds.length ? sqlIn('folder_id', folderIds) : 'false') : undefined,
    tags?.length ? `array_has_any(tags, [${tags.map(sqlString).join(', ')}])` : undefined,
    modifiedAfterMs !== undefined ? `modified_ms >= ${sqlNumber(modifiedAfterMs)}` : undefined,
    modifiedBeforeMs !== undefined ? `modified_ms < ${sqlNumber(modifiedBeforeMs)}` : undefined,
    excludeChunkIds?.length ? `NOT (${sqlIn('chunk_id', excludeChunkIds)})` : undefined,
  ]);
}
