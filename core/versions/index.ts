export { VersionStore } from './versionStore.ts';
export type { DamagedVersion } from './versionStore.ts';
export { versionManifestSchema, versionNumber } from './manifest.ts';
export type { VersionDraft, VersionManifest } from './manifest.ts';
