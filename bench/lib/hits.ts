import { docIdForNote } from '../../core/eval/index.ts';
import type { SearchHit } from '../../core/service/contract.ts';

/** Doc ids of the hits in rank order (a note is a doc); hits on unknown notes are counted, not ranked. */
export function hitsToDocIds(
  hits: readonly Pick<SearchHit, 'notePath'>[],
  noteToDoc: ReadonlyMap<string, string>,
): { docIds: string[]; unmapped: number } {
  const docIds: string[] = [];
  const seen = new Set<string>();
  let unmapped = 0;
  for (const hit of hits) {
    const docId = docIdForNote(noteToDoc, hit.notePath);
    if (docId === undefined) unmapped += 1;
    else if (!seen.has(docId)) {
      seen.add(docId);
      docIds.push(docId);
    }
  }
  return { docIds, unmapped };
}
