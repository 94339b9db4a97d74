import { describe, expect, it } from 'vitest';
import { filtersToSql, sqlAnd, sqlNumber, sqlString } from './sql.ts';

describe('sql helpers', () => {
  it('quotes strings by doubling single quotes', () => {
    expect(sqlString("it's")).toBe("'it''s'");
    expect(sqlString("'; DROP TABLE x; --")).toBe("'''; DROP TABLE x; --'");
  });

  it('rejects numbers without a literal', () => {
    expect(() => sqlNumber(Number.NaN)).toThrow(RangeError);
    expect(sqlNumber(12)).toBe('12');
  });

  it('builds a conjunction of the SQL-expressible filters', () => {
    expect(
      filtersToSql({
        folderIds: ['a'],
        tags: ["o'k"],
        modifiedAfterMs: 1,
        modifiedBeforeMs: 2,
        pathGlob: '*.md',
      }),
    ).toBe(
      "(folder_id IN ('a')) AND (array_has_any(tags, ['o''k'])) AND (modified_ms >= 1) AND (modified_ms < 2)",
    );
    expect(filtersToSql({ folderIds: [] })).toBe('(false)');
    expect(filtersToSql({ pathGlob: '*.md' })).toBeUndefined();
    expect(sqlAnd([undefined, ''])).toBeUndefined();
  });
});
