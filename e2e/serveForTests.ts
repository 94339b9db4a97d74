/**
 * `driftless serve` for the end-to-end suite: the real command line and the real app, with two
 * changes made through the command line's own `openApp` seam: adaptation runs are tiny (2 steps of 4
 * pairs), so a real training run, compensator fit, gate and publish finish in seconds; and model
 * downloads come from a local hub on 127.0.0.1 that serves a tiny real BERT as the catalogue's
 * all-MiniLM-L6-v2 (the suite runs offline).
 *
 * The learning rate is small on purpose: with distillation to the frozen parent dominating two
 * steps, the candidate stays next to v0, so search keeps working through the forward maps. Two steps
 * cannot show a gain beyond noise, so the gate here publishes what it trains: the suite is about
 * what the window does with versions; the gate's judgement is tested in core/adapt and core/app.
 *
 * Usage: node bin/run-ts.mjs e2e/serveForTests.ts --data-dir <dir> serve --port 0 --no-open
 */
import { openApp } from '../core/app/index.ts';
import { main } from '../core/cli/main.ts';
import { loadCatalogue } from '../core/models/index.ts';
import { buildTinyBert, hubFiles, startModelServer } from '../core/models/testing/index.ts';

/** The catalogue model the local hub serves. */
export const HUB_MODEL = 'all-minilm-l6-v2';

/** Adaptation settings of the e2e server only. */
export const TINY_ADAPTATION = {
  train: { steps: 2, batchSize: 4, negativesPerPair: 1, learningRate: 1e-5, warmupSteps: 0 },
  // The whole fixture, large hostile notes included, within the anchor
  // budget: adoption re-embeds every note, whichever the sample would have picked.
  maxAnchors: 10_000,
  gate: { minGain: -1, minStdErrors: 0, maxLossInOtherModes: 1 },
};

const entry = (await loadCatalogue()).models.find((model) => model.id === HUB_MODEL)!;
const hub = await startModelServer(
  hubFiles(entry, buildTinyBert({ hiddenSize: entry.dimensions, maxPositions: entry.maxTokens })),
);
try {
  process.exitCode = await main(process.argv.slice(2), {
    openApp: (options) => openApp({ ...options, adaptation: TINY_ADAPTATION, modelBaseUrl: hub.baseUrl }),
  });
} finally {
  await hub.close();
}
