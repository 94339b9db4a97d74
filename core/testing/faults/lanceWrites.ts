import { createRequire } from 'node:module';

/**
 * The JavaScript methods through which every LanceDB table write passes (add, delete,
 * merge-insert), as [owner, name] pairs that fault tests wrap. `LocalTable` is not exported by
 * the package's entry point, so it is loaded from the package's own module file.
 */
export function lanceWriteMethods(): Array<[Record<string, unknown>, string]> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@lancedb/lancedb');
  const { LocalTable } = require(entry.replace(/index\.js$/, 'table.js')) as {
    LocalTable: { prototype: Record<string, unknown> };
  };
  const { MergeInsertBuilder } = require(entry) as {
    MergeInsertBuilder: { prototype: Record<string, unknown> };
  };
  return [
    [LocalTable.prototype, 'add'],
    [LocalTable.prototype, 'delete'],
    [MergeInsertBuilder.prototype, 'execute'],
  ];
}

/** `LocalTable.prototype` of the package (for wrapping how a table starts a merge-insert). */
export function lanceTablePrototype(): Record<string, unknown> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@lancedb/lancedb');
  return (
    require(entry.replace(/index\.js$/, 'table.js')) as { LocalTable: { prototype: Record<string, unknown> } }
  ).LocalTable.prototype;
}

/** `MergeInsertBuilder.prototype` of the package. */
export function lanceMergeBuilderPrototype(): Record<string, unknown> {
  const require = createRequire(import.meta.url);
  return (
    require(require.resolve('@lancedb/lancedb')) as {
      MergeInsertBuilder: { prototype: Record<string, unknown> };
    }
  ).MergeInsertBuilder.prototype;
}
