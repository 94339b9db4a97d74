/**
 * Pins the sha256 and size of every catalogue file that resources/models.json leaves null, read from
 * the hub at each model's pinned revision (needs the internet; the build machines have none).
 *   node bin/run-ts.mjs scripts/pinModelHashes.ts [--base-url https://huggingface.co]
 * Review the diff: a pinned hash is enforced on every download and import from then on.
 */
import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  DEFAULT_BASE_URL,
  DEFAULT_CATALOGUE_PATH,
  loadCatalogue,
  pinCatalogueHashes,
} from '../core/models/index.ts';

const { values } = parseArgs({ options: { 'base-url': { type: 'string', default: DEFAULT_BASE_URL } } });
const pinned = await pinCatalogueHashes(await loadCatalogue(DEFAULT_CATALOGUE_PATH), values['base-url']);
await fs.writeFile(DEFAULT_CATALOGUE_PATH, `${JSON.stringify(pinned, null, 2)}\n`);
const left = pinned.models.flatMap((m) =>
  m.files.filter((f) => f.sha256 === null).map((f) => `${m.id}/${f.path}`),
);
console.log(left.length === 0 ? 'Every catalogue file is pinned.' : `Still unpinned: ${left.join(', ')}`);
