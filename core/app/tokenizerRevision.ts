import path from 'node:path';
import { z } from 'zod';
import { logAndContinue, readJsonFile, writeJsonAtomic } from '../base/index.ts';
import { reindexRows } from '../reembed/index.ts';
import { TOKENIZER_REVISION, UseLiteTokenizer, useLiteModelDir } from '../encoder/index.ts';
import { chunkEmbeddingText } from '../ingest/index.ts';
import type { StoredChunk } from '../store/index.ts';
import type { AppParts, WriteJob } from './parts.ts';
import { BUNDLED_MODEL } from './searchSpace.ts';

const revisionSchema = z.object({ tokenizerRevision: z.number().int().nonnegative() });

/** Where the bundled index records the tokenizer revision its rows were embedded under. */
export function tokenizerRevisionFile(root: string): string {
  return path.join(root, 'tokenizer-revision.json');
}

/**
 * Keeps the bundled index consistent with the bundled tokenizer. An index written before the
 * current TOKENIZER_REVISION holds rows that `encode` now reads differently (revision 1: text in
 * capitals is lowercased), embedded as they were read then; those rows, and only those, are
 * embedded again by a queued job, and the revision is recorded once it has finished. An empty index
 * records the revision at once. Downloaded models have tokenizers of their own and are not concerned.
 * @returns the id of the job queued, if one was.
 */
export async function checkTokenizerRevision(
  parts: AppParts,
  writeJob: WriteJob,
): Promise<string | undefined> {
  const space = parts.searchSpace.get();
  if (space.model !== BUNDLED_MODEL) return undefined;
  const file = tokenizerRevisionFile(parts.paths.root);
  // Unreadable counts as revision 0: at worst rows in capitals are embedded again.
  const recorded = await readJsonFile(file, revisionSchema).catch(
    logAndContinue('Reading the tokenizer revision of the index'),
  );
  if ((recorded?.tokenizerRevision ?? 0) >= TOKENIZER_REVISION) return undefined;
  const record = () => writeJsonAtomic(file, { tokenizerRevision: TOKENIZER_REVISION });
  if ((await space.index.stats()).chunks === 0) {
    await record();
    return undefined;
  }
  return writeJob({
    kind: 'reindex',
    label: 'Re-embed text in capitals (tokenizer update)',
    run: async (context) => {
      const tokenizer = await UseLiteTokenizer.load(path.join(useLiteModelDir(), 'vocab.json'));
      // The space when the job runs: a repair queued before it may have replaced the index.
      const { index, versions, space: crossVersion } = parts.searchSpace.get();
      const encoder = await parts.jobEncoders.get(versions.current.version);
      const readsDifferently = (chunk: StoredChunk) =>
        tokenizer.foldsCase(chunkEmbeddingText(chunk.title, { ...chunk, ordinal: 0 }));
      const result = await reindexRows(
        index,
        encoder,
        { versions: () => false, reembed: readsDifferently },
        context,
      );
      await record();
      crossVersion.invalidateRows();
      parts.events.emit({ type: 'index-changed' });
      return result;
    },
  }).id;
}
