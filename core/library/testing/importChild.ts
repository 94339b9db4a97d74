// A separate process that imports a folder and prints its progress, so a test can kill it with
// SIGKILL at an exact point of the import and check what a crash leaves behind.
import { openApp } from '../../app/index.ts';

const [dataDir, notesDir] = process.argv.slice(2);
const app = await openApp({ dataDir: dataDir! });
app.events.on((event) => {
  if (event.type === 'job' && event.job.phase === 'index') console.log(`indexed ${event.job.done}`);
});
await app.api.addFolder({ path: notesDir! });
await app.idle();
console.log('finished');
await app.close();
