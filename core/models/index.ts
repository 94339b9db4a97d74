export { DEFAULT_CATALOGUE_PATH, loadCatalogue, parseCatalogue } from './catalogue.ts';
export type { ModelCatalogue, ModelEntry, ModelFile } from './catalogue.ts';
export { DEFAULT_BASE_URL, ModelManager } from './manager.ts';
export type { DownloadOptions, ImportOptions, ModelListing } from './manager.ts';
export type { InstalledRecord } from './installed.ts';
export { OnnxSentenceEncoder } from './onnxEncoder.ts';
export { pinCatalogueHashes } from './pinHashes.ts';
export type { OnnxEncoderOptions } from './onnxEncoder.ts';
