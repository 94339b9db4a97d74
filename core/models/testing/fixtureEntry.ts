import { sha256 } from '../../base/index.ts';
import type { ModelEntry } from '../catalogue.ts';
import type { TinyBertFiles } from './tinyBert.ts';

const ROLES: Record<string, ModelEntry['files'][number]['role']> = {
  'onnx/model.onnx': 'model',
  'tokenizer.json': 'tokenizer',
  'tokenizer_config.json': 'tokenizerConfig',
};

/** A catalogue entry for a tiny fixture model, with its real hashes and sizes unless `trustOnFirstUse`. */
export function fixtureEntry(
  model: TinyBertFiles,
  overrides: Partial<ModelEntry> = {},
  trustOnFirstUse = false,
): ModelEntry {
  return {
    id: 'tiny-bert',
    name: 'Tiny BERT (test fixture)',
    repo: 'driftless-tests/tiny-bert',
    revision: '0123456789abcdef0123456789abcdef01234567',
    files: model.files.map((f) => ({
      path: f.path,
      role: ROLES[f.path] ?? 'other',
      sha256: trustOnFirstUse ? null : sha256(f.bytes),
      size: trustOnFirstUse ? null : f.bytes.length,
    })),
    dimensions: model.hiddenSize,
    maxTokens: model.maxPositions,
    pooling: 'mean',
    normalize: true,
    queryPrefix: 'query: ',
    documentPrefix: 'passage: ',
    licence: 'Apache-2.0',
    ...overrides,
  };
}

/** URL paths at which a hub serves the entry's files. */
export function hubFiles(entry: ModelEntry, model: TinyBertFiles): Map<string, Uint8Array> {
  return new Map(model.files.map((f) => [`/${entry.repo}/resolve/${entry.revision}/${f.path}`, f.bytes]));
}
