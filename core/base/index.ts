export { DriftlessError, ERROR_CODES, isAbortError, throwIfAborted } from './errors.ts';
export type { ErrorCode, SerializedError } from './errors.ts';
export { Emitter } from './events.ts';
export { estimateEtaSeconds, throttleProgress } from './progress.ts';
export type { Progress, ProgressListener, ThrottledProgress } from './progress.ts';
export { sha256 } from './hash.ts';
export { DigestCache, hashFilesStreamed } from './digestCache.ts';
export type { DigestCacheOptions, FilesDigest, HashFiles } from './digestCache.ts';
export { dataPaths, resolveDataDir } from './dataDir.ts';
export { ensureDataDir } from './dataDirCheck.ts';
export type { DataPaths } from './dataDir.ts';
export {
  readJsonFile,
  readJsonFileOrSetAside,
  removeAbandonedTempFiles,
  setAsideDamaged,
  sideFileRepairs,
  writeError,
  writeFileAtomic,
  writeJsonAtomic,
} from './files.ts';
export type { SideFileRepair } from './files.ts';
export { logAndContinue, logFailure, openLog } from './log.ts';
export { SeededRandom, seededRandom } from './random.ts';
