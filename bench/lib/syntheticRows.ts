import { sha256 } from '../../core/base/index.ts';
import { NoteIndex, type ChunkRecord, type NoteWrite } from '../../core/store/index.ts';
import { makeVocabulary, mulberry32 } from './synthetic.ts';

export interface SyntheticRowsOptions {
  rows: number;
  dimensions: number;
  encoderVersion: string;
  chunksPerNote?: number;
  seed?: number;
}

const NOTES_PER_WRITE = 250;

/**
 * Writes synthetic chunk rows straight into an index, with random unit vectors, for latency
 * measurements at sizes the real encoder would take an hour to reach on a small machine. Search
 * cost does not depend on what the vectors mean, only on how many there are; the text follows the
 * same Zipf-like vocabulary as the synthetic notes, so full-text posting lists look realistic.
 */
export async function writeSyntheticRows(indexDir: string, options: SyntheticRowsOptions): Promise<number> {
  const index = await NoteIndex.open(indexDir, { dimensions: options.dimensions, repairOnOpen: false });
  const random = mulberry32(options.seed ?? 7);
  const vocabulary = makeVocabulary(5000, random);
  const words = (n: number) =>
    Array.from({ length: n }, () => vocabulary[Math.floor(vocabulary.length * random() ** 3)]).join(' ');
  const perNote = options.chunksPerNote ?? 20;
  let written = 0;
  try {
    while (written < options.rows) {
      const batch: NoteWrite[] = [];
      for (let n = 0; n < NOTES_PER_WRITE && written < options.rows; n++) {
        const count = Math.min(perNote, options.rows - written);
        batch.push(syntheticNote(`synthetic/${written}.md`, count, words, random, options));
        written += count;
      }
      await index.writeNotes(batch);
    }
    await index.optimize();
  } finally {
    await index.close();
  }
  return written;
}

function syntheticNote(
  notePath: string,
  chunks: number,
  words: (n: number) => string,
  random: () => number,
  options: SyntheticRowsOptions,
): NoteWrite {
  const noteHash = sha256(notePath);
  const title = words(4);
  const base = { folderId: 'synthetic', notePath, noteHash, title, modifiedMs: Date.now() };
  const records: ChunkRecord[] = Array.from({ length: chunks }, (_, i) => {
    const text = words(60);
    return {
      ...base,
      id: sha256(`${notePath}#${i}`).slice(0, 32),
      chunkId: sha256(text),
      headingPath: [title, words(3)],
      text,
      tags: [],
      start: i * 400,
      end: i * 400 + text.length,
      encoderVersion: options.encoderVersion,
      vector: randomUnitVector(options.dimensions, random),
    };
  });
  return { ...base, format: 'markdown', chunks: records };
}

function randomUnitVector(dimensions: number, random: () => number): Float32Array {
  const vector = new Float32Array(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    // Box-Muller: Gaussian components give directions uniform on the sphere.
    const value = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    vector[i] = value;
    norm += value * value;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < dimensions; i++) vector[i]! *= scale;
  return vector;
}
