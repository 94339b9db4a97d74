import type { Encoder } from '../../encoder/index.ts';
import type { JobContext } from '../../jobs/index.ts';
import type { TrainingPair } from '../types.ts';
import type { TeacherVectors } from './step.ts';

/** Texts embedded by the teacher per call, between pause and cancel checks. */
const CHUNK = 256;

/** The `from` version's embeddings of every query and document of the run, computed once. */
export async function teacherVectors(
  from: Encoder,
  pairs: readonly TrainingPair[],
  context: JobContext,
): Promise<TeacherVectors> {
  const queries = [...new Set(pairs.map((p) => p.query))];
  const documents = [...new Set(pairs.flatMap((p) => [p.positive, ...p.negatives]))];
  return {
    queries: await embedAll(queries, (chunk) => from.embedQueries(chunk, context.signal), context),
    documents: await embedAll(documents, (chunk) => from.embedDocuments(chunk, context.signal), context),
  };
}

async function embedAll(
  texts: readonly string[],
  embed: (chunk: readonly string[]) => Promise<Float32Array[]>,
  context: JobContext,
): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (let i = 0; i < texts.length; i += CHUNK) {
    await context.checkpoint();
    const chunk = texts.slice(i, i + CHUNK);
    const vectors = await embed(chunk);
    chunk.forEach((text, j) => out.set(text, vectors[j] ?? new Float32Array()));
  }
  return out;
}
