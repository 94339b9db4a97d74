export { sampleVersionVectors, VersionSearchSpace } from './versionSpace.ts';
export type { LoadForwardMaps, VersionPathProblem } from './versionSpace.ts';
