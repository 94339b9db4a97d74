import { createRequire } from 'node:module';
import type * as Arrow from 'apache-arrow';

/**
 * Apache Arrow as LanceDB loads it: its CommonJS build, one copy per process. `import … from
 * 'apache-arrow'` would load the ES module build besides, about 130 more files (0.3 s of every
 * command-line start on a loaded machine, issue 15) whose classes are not the ones LanceDB checks.
 */
export const arrow = createRequire(import.meta.url)('apache-arrow') as typeof Arrow;
