import { mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { DriftlessError, throwIfAborted } from '../base/index.ts';
import type { ProgressListener } from '../base/index.ts';
import { NoteNamer } from './noteNames.ts';
import type { BeirDoc, MaterializedCorpus } from './types.ts';

/** The file in a materialised folder that records which note holds which doc. */
export const MANIFEST_NAME = '.driftless-eval.json';

interface Manifest {
  format: 1;
  notes: Record<string, string>;
}

export interface MaterializeOptions {
  /** Number of docs, when known, for progress totals. */
  total?: number;
  onProgress?: ProgressListener;
}

/**
 * Writes a corpus as a folder of Markdown notes, one `<safe id>.md` per doc (see NoteNamer): front
 * matter `doc_id`, then `# title` (omitted when the title is empty) and the text verbatim. Idempotent:
 * a note whose content is already right is not rewritten (its mtime stays, so a rescan sees no change),
 * and notes of an earlier materialisation that are no longer in the corpus are removed.
 *
 * The folder must be empty, missing, or an earlier materialisation (it holds the manifest), so that a
 * mistyped path never has its files deleted.
 *
 * @throws DriftlessError CONFLICT when the folder holds other files; INVALID_ARGUMENT for duplicate ids.
 */
export async function materializeCorpus(
  docs: Iterable<BeirDoc> | AsyncIterable<BeirDoc>,
  folder: string,
  options: MaterializeOptions = {},
  signal?: AbortSignal,
): Promise<MaterializedCorpus> {
  await mkdir(folder, { recursive: true });
  const previous = await readPreviousManifest(folder);
  const namer = new NoteNamer();
  const noteToDoc = new Map<string, string>();
  const counts = { written: 0, unchanged: 0, removed: 0 };
  for await (const doc of docs) {
    throwIfAborted(signal);
    const name = namer.nameFor(doc.id);
    noteToDoc.set(name, doc.id);
    counts[(await writeIfChanged(path.join(folder, name), renderNote(doc))) ? 'written' : 'unchanged'] += 1;
    options.onProgress?.({ phase: 'materialize', done: noteToDoc.size, total: options.total, detail: name });
  }
  for (const name of Object.keys(previous)) {
    if (noteToDoc.has(name)) continue;
    await unlink(path.join(folder, name)).catch(() => undefined);
    counts.removed += 1;
  }
  const manifest: Manifest = { format: 1, notes: Object.fromEntries(noteToDoc) };
  await writeIfChanged(path.join(folder, MANIFEST_NAME), JSON.stringify(manifest));
  return { folder, noteToDoc, ...counts };
}

/** The Markdown note for one doc. */
export function renderNote(doc: BeirDoc): string {
  const frontMatter = `---\n${stringify({ doc_id: doc.id })}---\n\n`;
  const heading = doc.title.trim() === '' ? '' : `# ${doc.title.replace(/\s+/g, ' ').trim()}\n\n`;
  return `${frontMatter}${heading}${doc.text}\n`;
}

/**
 * The note-to-doc map of an earlier materialisation, read from its manifest.
 *
 * @throws DriftlessError NOT_FOUND when the folder was not materialised; CORRUPT for a bad manifest.
 */
export async function readMaterializedMap(folder: string): Promise<Map<string, string>> {
  const manifest = await readManifest(folder);
  if (!manifest) throw new DriftlessError('NOT_FOUND', `${folder} holds no materialised corpus`, { folder });
  return new Map(Object.entries(manifest.notes));
}

/** The doc id of a search hit's note path ('/' or '\\' separated), or undefined for other notes. */
export function docIdForNote(noteToDoc: ReadonlyMap<string, string>, notePath: string): string | undefined {
  return noteToDoc.get(notePath.replaceAll('\\', '/'));
}

async function readPreviousManifest(folder: string): Promise<Record<string, string>> {
  const manifest = await readManifest(folder);
  if (manifest) return manifest.notes;
  const entries = await readdir(folder);
  if (entries.length > 0) {
    throw new DriftlessError(
      'CONFLICT',
      `${folder} is not empty and was not written by materializeCorpus; give an empty or new folder`,
      { folder },
    );
  }
  return {};
}

async function readManifest(folder: string): Promise<Manifest | undefined> {
  const file = path.join(folder, MANIFEST_NAME);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as Partial<Manifest>;
    if (value.format === 1 && typeof value.notes === 'object' && value.notes !== null)
      return value as Manifest;
  } catch {
    // Reported below as corrupt.
  }
  throw new DriftlessError('CORRUPT', `${file} is not a valid manifest`, { file });
}

/** Writes a file unless it already has exactly this content; returns whether it wrote. */
async function writeIfChanged(file: string, content: string): Promise<boolean> {
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing === content) return false;
  await writeFile(file, content, 'utf8');
  return true;
}
