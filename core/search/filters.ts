import type { ChunkFilters } from '../store/index.ts';

/** Filters a search request or its query sets; the contract checks them at run time (`searchFiltersSchema`). */
export interface SearchFilters {
  folderIds?: string[];
  tags?: string[];
  pathGlob?: string;
  modifiedAfterMs?: number;
  modifiedBeforeMs?: number;
}

function intersect(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.filter((value) => b.includes(value));
}

function defined<T>(...values: Array<T | undefined>): T[] {
  return values.filter((value): value is T => value !== undefined);
}

/**
 * Combines the request's filters with those typed in the query: folders intersect, tags add up
 * (a note needs any one), date bounds take the tighter, and a path glob in the query wins.
 */
export function mergeFilters(request: SearchFilters | undefined, query: SearchFilters): ChunkFilters {
  const merged: ChunkFilters = {};
  const folderIds = intersect(request?.folderIds, query.folderIds);
  if (folderIds) merged.folderIds = folderIds;
  const tags = [...(request?.tags ?? []), ...(query.tags ?? [])];
  if (tags.length) merged.tags = [...new Set(tags)];
  const pathGlob = query.pathGlob ?? request?.pathGlob;
  if (pathGlob) merged.pathGlob = pathGlob;
  const after = defined(request?.modifiedAfterMs, query.modifiedAfterMs);
  if (after.length) merged.modifiedAfterMs = Math.max(...after);
  const before = defined(request?.modifiedBeforeMs, query.modifiedBeforeMs);
  if (before.length) merged.modifiedBeforeMs = Math.min(...before);
  return merged;
}
