// One searcher of `bench:load`: an app on the data folder (the real bundled encoder for queries)
// searching hybrid back to back until a deadline, while another process writes. Prints one line
// `RESULT <json>`: every search's end time and latency (null when it failed), the first errors,
// and this process's peak RSS.
// usage: loadSearcher.ts <dataDir> <untilMs> <seed>
import { loadLinearEncoder } from '../../core/adapt/testing/index.ts';
import { openApp } from '../../core/app/index.ts';
import { DriftlessError } from '../../core/base/index.ts';
import { loadVocabulary } from './loadBuild.ts';
import type { SearchSample } from './loadWindows.ts';
import { mulberry32 } from './synthetic.ts';

const PHRASES = ['meeting notes', 'how to fix the build', 'ideas for the garden', 'tax receipts 2024'];
const WARMUP = 3;

const [dataDir, untilText, seedText] = process.argv.slice(2);
const until = Number(untilText);
const random = mulberry32(Number(seedText ?? 1));
const vocabulary = loadVocabulary();
const query = () =>
  random() < 0.1
    ? PHRASES[Math.floor(random() * PHRASES.length)]!
    : Array.from({ length: 2 + Math.floor(random() * 3) }, () => vocabulary.pick(random)).join(' ');

// The writer publishes versions of the fixture trainer; their encoders load like the writer's.
const app = await openApp({ dataDir: dataDir!, loadVersionEncoder: loadLinearEncoder });
for (let i = 0; i < WARMUP; i++) await app.api.search({ query: query(), limit: 10 });
const samples: SearchSample[] = [];
const errors: string[] = [];
while (Date.now() < until) {
  const started = performance.now();
  try {
    await app.api.search({ query: query(), mode: 'hybrid', limit: 10 });
    samples.push([Date.now(), performance.now() - started]);
  } catch (error) {
    samples.push([Date.now(), null]);
    const failure = DriftlessError.from(error);
    if (errors.length < 5) errors.push(`${failure.code}: ${failure.message}`);
  }
}
await app.close();
const peakRssMb = process.resourceUsage().maxRSS / 1024;
console.log(`RESULT ${JSON.stringify({ samples, errors, peakRssMb })}`);
