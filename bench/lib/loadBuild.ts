import path from 'node:path';
import type { ChunkRecord, NoteWrite } from '../../core/store/index.ts';
import { NoteIndex } from '../../core/store/index.ts';
import { log } from './log.ts';
import { makeVocabulary, mulberry32 } from './synthetic.ts';

/** Folder id of the bulk rows; no folder of the registry owns it, so no sync ever touches them. */
export const BULK_FOLDER = 'bench-bulk';
const CHUNKS_PER_NOTE = 20;
const NOTES_PER_WRITE = 250;
const DIMENSIONS = 512;

export interface BulkBuild {
  chunks: number;
  notes: number;
  writeSeconds: number;
  /** Full-text and (from 50,000 rows) vector index build. */
  optimizeSeconds: number;
  bytesOnDisk: number;
}

/** The words synthetic chunks and the searchers' queries are made of (same seed, same words). */
export function loadVocabulary(): { words: string[]; pick: (random: () => number) => string } {
  const words = makeVocabulary(5000, mulberry32(7));
  // Zipf-like skew: common words are common, as in real notes.
  return { words, pick: (random) => words[Math.floor(words.length * random() ** 3)] ?? 'ka' };
}

/**
 * Writes `chunks` synthetic rows straight into the index of `dataDir` (random unit vectors, text from
 * the vocabulary), in the same atomic note writes an import makes, then builds the indexes. No
 * encoder runs, so 200,000 chunks take minutes, not hours.
 */
export async function buildBulkIndex(
  dataDir: string,
  chunks: number,
  /** Encoder versions the notes are spread over, round robin (default all v0). */
  versions: readonly string[] = ['v0'],
): Promise<BulkBuild> {
  const index = await NoteIndex.open(path.join(dataDir, 'index'), { dimensions: DIMENSIONS });
  const random = mulberry32(11);
  const vocabulary = loadVocabulary();
  const notes = Math.ceil(chunks / CHUNKS_PER_NOTE);
  const started = performance.now();
  try {
    for (let first = 0; first < notes; first += NOTES_PER_WRITE) {
      const batch: NoteWrite[] = [];
      for (let i = first; i < Math.min(notes, first + NOTES_PER_WRITE); i++) {
        const count = Math.min(CHUNKS_PER_NOTE, chunks - i * CHUNKS_PER_NOTE);
        batch.push(bulkNote(i, count, random, vocabulary.pick, versions[i % versions.length] ?? 'v0'));
      }
      await index.writeNotes(batch);
      if ((first / NOTES_PER_WRITE) % 20 === 0)
        log(`bulk: ${Math.min(notes, first + NOTES_PER_WRITE)}/${notes} notes`);
    }
    const writeSeconds = (performance.now() - started) / 1000;
    log('bulk: building the full-text and vector indexes');
    const optimizeStarted = performance.now();
    await index.optimize();
    const optimizeSeconds = (performance.now() - optimizeStarted) / 1000;
    const stats = await index.stats();
    return {
      chunks: stats.chunks,
      notes: stats.notes,
      writeSeconds,
      optimizeSeconds,
      bytesOnDisk: stats.bytesOnDisk,
    };
  } finally {
    await index.close();
  }
}

function bulkNote(
  i: number,
  count: number,
  random: () => number,
  pick: (r: () => number) => string,
  encoderVersion: string,
): NoteWrite {
  const notePath = `bulk/${Math.floor(i / 1000)}/note-${i}.md`;
  const noteHash = `bulk-${i}`;
  const title = Array.from({ length: 4 }, () => pick(random)).join(' ');
  const modifiedMs = 1_700_000_000_000 + i * 1000;
  const chunks = Array.from({ length: count }, (_, j): ChunkRecord => {
    const text = Array.from({ length: 30 + Math.floor(random() * 30) }, () => pick(random)).join(' ');
    return {
      id: `${BULK_FOLDER}/${notePath}#${j}`,
      chunkId: `${i}-${j}`,
      folderId: BULK_FOLDER,
      notePath,
      title,
      headingPath: [`Part ${j + 1}`],
      text,
      tags: [],
      start: j * 1000,
      end: j * 1000 + text.length,
      modifiedMs,
      noteHash,
      encoderVersion,
      vector: randomUnitVector(random),
    };
  });
  return { folderId: BULK_FOLDER, notePath, noteHash, title, modifiedMs, format: 'markdown', chunks };
}

function randomUnitVector(random: () => number): Float32Array {
  const vector = new Float32Array(DIMENSIONS);
  let norm = 0;
  for (let k = 0; k < DIMENSIONS; k++) {
    // Sum of uniforms: close enough to Gaussian for directions spread over the sphere.
    const value = random() + random() + random() - 1.5;
    vector[k] = value;
    norm += value * value;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let k = 0; k < DIMENSIONS; k++) vector[k]! *= scale;
  return vector;
}
