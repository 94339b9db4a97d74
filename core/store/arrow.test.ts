import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import { feedbackSchema } from './feedbackRows.ts';
import { chunkSchema, noteSchema } from './schema.ts';

it('builds its schemas from the Apache Arrow that LanceDB loads, not a second copy', () => {
  const lancedb = createRequire(import.meta.url).resolve('@lancedb/lancedb');
  const lanceArrow = createRequire(lancedb)('apache-arrow') as typeof import('apache-arrow');
  for (const schema of [chunkSchema(8), noteSchema(), feedbackSchema()])
    expect(schema).toBeInstanceOf(lanceArrow.Schema);
});
