// Takes the writer lock `rounds` times, logging entry and exit to a shared file, to check that
// no two processes ever hold it together. usage: lockChild.ts <lockPath> <logFile> <rounds>
import { appendFileSync } from 'node:fs';
import { acquireWriterLock } from '../../jobs/index.ts';

const [lockPath, logFile, rounds] = process.argv.slice(2);
let held = 0;
let refused = 0;
for (let round = 0; round < Number(rounds); round++) {
  try {
    const lock = await acquireWriterLock(lockPath!, 'the stress test');
    appendFileSync(logFile!, `B ${process.pid}\n`);
    await new Promise((resolve) => setTimeout(resolve, 2));
    appendFileSync(logFile!, `E ${process.pid}\n`);
    await lock.release();
    held++;
  } catch (error) {
    if ((error as { code?: string }).code !== 'LOCKED') throw error;
    refused++;
  }
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
}
console.log(JSON.stringify({ held, refused }));
