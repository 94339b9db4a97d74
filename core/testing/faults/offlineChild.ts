// Imports a folder with the real bundled encoder, searches it and asks for an adaptation, so a test
// can check that nothing of this touches the network. usage: offlineChild.ts <dataDir> <notesDir>
import { openApp } from '../../app/index.ts';

const [dataDir, notesDir] = process.argv.slice(2);
const app = await openApp({ dataDir: dataDir! });
await app.api.addFolder({ path: notesDir! });
await app.idle();
const result = await app.api.search({ query: 'topic3 word5', limit: 5 });
let adaptation = 'unavailable';
try {
  await app.api.startAdaptation({});
  await app.idle();
  adaptation = 'ran';
} catch (error) {
  adaptation = `refused (${(error as { code?: string }).code})`;
}
const status = await app.api.status({});
await app.close();
console.log(JSON.stringify({ notes: status.notes, hits: result.hits.length, adaptation }));
console.log('finished');
