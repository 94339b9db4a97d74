/**
 * Hybrid fusion strategies compared on one imported dataset: runs every judged query through
 * `searchNotes` in hybrid mode with each strategy and prints nDCG@10, Recall@10/100 and MRR@10 per
 * strategy as JSON lines. Import the dataset once with `npm run bench:retrieval -- <dataset> --keep
 * --data-dir <d> --notes-dir <n>`, then:
 *
 *   npm run bench:fusion -- <data dir> <dataset folder> <notes dir> [--exclude-self]
 */
import path from 'node:path';
import { BundledEncoder } from '../core/encoder/index.ts';
import { evaluateRun, readBeirDataset, readMaterializedMap } from '../core/eval/index.ts';
import {
  minMaxScoreFusion,
  reciprocalRankFusion,
  searchNotes,
  weightedRankFusion,
  type FusionStrategy,
} from '../core/search/index.ts';
import { NoteIndex } from '../core/store/index.ts';

const STRATEGIES: FusionStrategy[] = [
  reciprocalRankFusion(),
  weightedRankFusion({ dense: 0.5 }),
  weightedRankFusion({ dense: 0.3 }),
  minMaxScoreFusion(),
];

const [dataDir, datasetDir, notesDir] = process.argv.slice(2);
if (!dataDir || !datasetDir || !notesDir) {
  console.error('usage: bench:fusion -- <data dir> <dataset folder> <notes dir> [--exclude-self]');
  process.exit(2);
}
const dataset = await readBeirDataset(datasetDir, { unknownIds: 'drop' });
const noteToDoc = await readMaterializedMap(notesDir);
const queries = new Map(dataset.queries.map((query) => [query.id, query.text]));
const index = await NoteIndex.open(path.join(dataDir, 'index'), { dimensions: 512 });
const encoder = await BundledEncoder.load({ cacheDir: path.join(dataDir, 'models', 'use-lite') });
try {
  for (const fusion of STRATEGIES) {
    const run = new Map<string, string[]>();
    for (const queryId of dataset.qrels.keys()) {
      const text = queries.get(queryId);
      if (text === undefined) continue;
      const request = { query: text.slice(0, 2000), limit: 100, mode: 'hybrid' } as const;
      const { hits } = await searchNotes(index, encoder, request, { fusion });
      run.set(
        queryId,
        hits.map((hit) => noteToDoc.get(hit.notePath) ?? hit.notePath),
      );
    }
    const excludeSelf = process.argv.includes('--exclude-self');
    const { metrics } = evaluateRun(run, dataset.qrels, { excludeSelf });
    console.log(JSON.stringify({ dataset: path.basename(datasetDir), fusion: fusion.name, ...metrics }));
  }
} finally {
  await encoder.close();
  await index.close();
}
