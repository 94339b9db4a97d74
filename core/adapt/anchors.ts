import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { readJsonFile, SeededRandom } from '../base/index.ts';
import type { Encoder } from '../encoder/index.ts';
import type { JobContext } from '../jobs/index.ts';
import { noteKey, type NoteIndex, type StoredChunk } from '../store/index.ts';
import type { VersionStore } from '../versions/index.ts';
import { reindexRows, type ReindexResult } from '../reembed/index.ts';

/** The notes a version re-embedded as anchors, kept with it so a crash before they are written can redo it. */
const ANCHORS_FILE = 'anchors.json';
const anchorsSchema = z.object({ notes: z.array(z.string()) });

/**
 * Whole notes of older versions that the new version embedded to fit its maps. Those vectors are
 * what re-embedding the notes would write, so the app keeps them once the version is adopted
 * (`keepAnchors`): a segment no larger than the anchor budget is then simply re-embedded.
 */
export interface AnchorNotes {
  /** The revision (`noteHash`) of each anchor note (`noteKey`) when it was embedded. */
  notes: Map<string, string>;
  /** The new version's vector of every chunk of those notes, by row id. */
  vectors: Map<string, Float32Array>;
}

/** The anchor vector of a stored chunk, if its note is still the revision that was embedded. */
export function anchorVector(anchors: AnchorNotes, chunk: StoredChunk): Float32Array | undefined {
  return anchors.notes.get(noteKey(chunk)) === chunk.noteHash ? anchors.vectors.get(chunk.id) : undefined;
}

/**
 * A seeded sample of one version's notes, whole (every chunk in that version), up to
 * `maxAnchors` rows in all: the ids of the whole segment (one column), then only the sampled rows
 * and their notes in full. Whole notes, because the app keeps the anchors' new vectors and
 * rewrites a note at a time. `chunks` are in sample order (a note's unsampled chunks last), so a
 * segment within the budget is fitted exactly as a plain row sample would be.
 */
export async function sampleAnchorNotes(
  index: NoteIndex,
  version: string,
  options: { maxAnchors: number; seed: number },
): Promise<{ notes: { key: string; chunks: StoredChunk[] }[]; chunks: StoredChunk[] }> {
  const sampled = new SeededRandom(options.seed).sample(
    await index.rowIdsOfVersion(version),
    options.maxAnchors,
  );
  const byId = new Map((await index.chunksByRowId(sampled)).map((chunk) => [chunk.id, chunk]));
  const keys = [...new Set(sampled.flatMap((id) => (byId.has(id) ? [noteKey(byId.get(id)!)] : [])))];
  const chunksOf = await index.chunksOfNotes(keys);
  const picked: { key: string; chunks: StoredChunk[] }[] = [];
  let budget = options.maxAnchors;
  for (const key of keys) {
    const chunks = chunksOf.get(key) ?? [];
    if (chunks.length > budget || chunks.some((chunk) => chunk.encoderVersion !== version)) continue;
    picked.push({ key, chunks });
    budget -= chunks.length;
  }
  const position = new Map(sampled.map((id, i) => [id, i]));
  const at = (chunk: StoredChunk) => position.get(chunk.id) ?? sampled.length;
  return { notes: picked, chunks: picked.flatMap((note) => note.chunks).sort((a, b) => at(a) - at(b)) };
}

/**
 * Writes the anchors' vectors as rows of `encoder`'s version once it is adopted: the notes its maps
 * were fitted on are then re-embedded at no further encoder cost (a note edited since is embedded
 * again). What the fit paid for is kept instead of mapped, and backfill has that much less to do.
 */
export function keepAnchors(
  index: NoteIndex,
  encoder: Encoder,
  anchors: AnchorNotes,
  context: JobContext,
): Promise<ReindexResult> {
  return reindexRows(
    index,
    encoder,
    { notes: [...anchors.notes.keys()], known: (chunk) => anchorVector(anchors, chunk) },
    context,
  );
}

/**
 * Writes which notes are anchors into a staging version folder (plain write: the publish renames
 * the folder as a whole).
 */
export async function saveAnchorNotes(dir: string, anchors: AnchorNotes): Promise<void> {
  await fs.writeFile(path.join(dir, ANCHORS_FILE), JSON.stringify({ notes: [...anchors.notes.keys()] }));
}

/** The anchor notes (`noteKey`) a published version recorded; none when it kept no record. */
export async function loadAnchorNotes(versions: VersionStore, version: string): Promise<string[]> {
  if (!(ANCHORS_FILE in versions.get(version).files)) return [];
  return (await readJsonFile(versions.filePath(version, ANCHORS_FILE), anchorsSchema))?.notes ?? [];
}
