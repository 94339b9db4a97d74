/**
 * What scoring an older segment's candidates costs at query time: the affine forward map alone
 * against the same map with an anchor correction, on synthetic 512-d vectors the size of the app's
 * defaults (1,000 anchors per older version, 150 candidates per segment for a 30-note search).
 * Runs alternate, and the figures are medians with the correction's cost as a ratio to the affine
 * map's in the same run. Prints JSON.
 *
 *   npm run bench:forward -- [--anchors 1000] [--candidates 150] [--dims 512] [--rounds 30]
 */
import { parseArgs } from 'node:util';
import { buildCorrection } from '../core/compat/anchorCorrection.ts';
import { ForwardMap, fitForwardMap } from '../core/compat/index.ts';
import { embeddingLikeVectors, Rng, topicalDrift } from '../core/compat/testing/syntheticDrift.ts';
import { latencySummary, ratio, round } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    anchors: { type: 'string', default: '1000' },
    candidates: { type: 'string', default: '150' },
    dims: { type: 'string', default: '512' },
    rounds: { type: 'string', default: '30' },
  },
});
const [anchorCount, candidateCount, dims, rounds] = [
  values.anchors,
  values.candidates,
  values.dims,
  values.rounds,
].map(Number) as [number, number, number, number];

const anchors = topicalDrift(1, Math.ceil(anchorCount / 4), dims);
const options = { fromVersion: 'v0', toVersion: 'v1', kinds: ['linear' as const] };
const plainFit = () => fitForwardMap({ stored: anchors.stored, current: anchors.current }, options);
const fitAffineMs = await elapsed(plainFit);
// With the anchors' notes the fit also chooses a correction, whether or not it keeps one.
const fitCorrectedMs = await elapsed(() => fitForwardMap(anchors, options));
const { map } = await plainFit();
const images = anchors.stored.map((stored) => map.image(stored));
const correction = buildCorrection(
  { ...anchors, images },
  { neighbours: 16, temperature: 0.05, weight: 0.5 },
);
const [affine, corrected] = [map, new ForwardMap(map.map, correction)];
const rng = new Rng(2);
const queries = embeddingLikeVectors(rng, rounds, dims);
const candidates = embeddingLikeVectors(rng, candidateCount, dims);

/**
 * `before`: each candidate's image built and scored on its own (the scoring this replaced); `cold`:
 * rows never seen (new ids each query); `warm`: the same rows again, as the next keystroke meets them.
 */
const methods = {
  before: (query: Float32Array) => candidates.map((stored) => affine.score(query, stored)),
  affineCold: (query: Float32Array, round: number) => affine.scoreCandidates(query, rows(`a${round}`)),
  affineWarm: (query: Float32Array) => affine.scoreCandidates(query, rows('a')),
  correctedCold: (query: Float32Array, round: number) => corrected.scoreCandidates(query, rows(`c${round}`)),
  correctedWarm: (query: Float32Array) => corrected.scoreCandidates(query, rows('c')),
};
const timings = new Map<string, number[]>(Object.keys(methods).map((name) => [name, []]));
queries.forEach((query, round) => {
  for (const [name, run] of Object.entries(methods)) {
    const started = performance.now();
    run(query, round);
    timings.get(name)!.push(performance.now() - started);
  }
});
const summaries = Object.fromEntries([...timings].map(([name, ms]) => [name, latencySummary(ms)]));
console.log(
  JSON.stringify(
    {
      anchors: correction.anchors,
      candidates: candidateCount,
      dims,
      rounds,
      scoringMs: summaries,
      toBefore: Object.fromEntries(
        Object.keys(methods).map((name) => [name, ratio(summaries[name]!.p50Ms, summaries.before!.p50Ms)]),
      ),
      fit: {
        affineMs: round(fitAffineMs),
        correctedMs: round(fitCorrectedMs),
        ratio: ratio(fitCorrectedMs, fitAffineMs),
      },
    },
    null,
    2,
  ),
);

function rows(prefix: string) {
  return candidates.map((stored, i) => ({ id: `${prefix}-${i}`, stored }));
}

async function elapsed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}
