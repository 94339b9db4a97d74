import { DriftlessError, sha256 } from '../base/index.ts';
import type { ModelCatalogue, ModelEntry, ModelFile } from './catalogue.ts';

const LFS_POINTER = /^version https:\/\/git-lfs\.github\.com\/spec\/v1\n/;

/** The sha256 and size a file of the hub has: from its Git LFS pointer, else from its own bytes. */
export function fileDigest(raw: Uint8Array): { sha256: string; size: number } {
  const text = new TextDecoder().decode(raw.subarray(0, 300));
  if (!LFS_POINTER.test(text)) return { sha256: sha256(raw), size: raw.length };
  const oid = /^oid sha256:([0-9a-f]{64})$/m.exec(text)?.[1];
  const size = /^size (\d+)$/m.exec(text)?.[1];
  if (!oid || !size) throw new DriftlessError('CORRUPT', 'A Git LFS pointer without an oid or size.');
  return { sha256: oid, size: Number(size) };
}

/**
 * Fills every unknown (null) sha256 and size of the catalogue from the hub at `baseUrl`, at each
 * model's pinned revision: the hub's `raw` URL serves a large file's Git LFS pointer, which holds
 * the file's sha256 and size, and a small file's own bytes. Known values are kept as they are.
 * @throws DriftlessError NOT_FOUND when the hub lacks a file, OFFLINE when it cannot be reached.
 */
export async function pinCatalogueHashes(
  catalogue: ModelCatalogue,
  baseUrl: string,
): Promise<ModelCatalogue> {
  const models: ModelEntry[] = [];
  for (const entry of catalogue.models) {
    const files: ModelFile[] = [];
    for (const file of entry.files)
      files.push(file.sha256 ? file : { ...file, ...(await hubDigest(baseUrl, entry, file)) });
    models.push({ ...entry, files });
  }
  return { ...catalogue, models };
}

async function hubDigest(baseUrl: string, entry: ModelEntry, file: ModelFile) {
  const url = `${baseUrl}/${entry.repo}/raw/${entry.revision}/${file.path}`;
  const response = await fetch(url).catch((cause: unknown) => {
    throw new DriftlessError('OFFLINE', `Could not reach ${url}.`, { url }, { cause });
  });
  if (!response.ok) throw new DriftlessError('NOT_FOUND', `${url} answered ${response.status}.`, { url });
  return fileDigest(new Uint8Array(await response.arrayBuffer()));
}
