import { existsSync } from 'node:fs';

/**
 * With DRIFTLESS_BARRIER set, prints `ready` and waits until that file exists, so a test can start
 * several processes and let them all begin writing at the same moment (after each opened its data).
 */
export async function waitAtBarrier(): Promise<void> {
  const file = process.env.DRIFTLESS_BARRIER;
  if (!file) return;
  console.log('ready');
  while (!existsSync(file)) await new Promise((resolve) => setTimeout(resolve, 10));
}
