#!/usr/bin/env node
// The `driftless` command line. Runs the TypeScript sources directly, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../core/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
