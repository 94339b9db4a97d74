/**
 * Encoder training speed: ms per optimisation step for a batch of 32 (query, document) pairs
 * with 7 hard negatives each (288 texts a step), on each tfjs backend that starts here (WebGPU on a
 * real GPU, the native ones when installed, wasm always), with the achieved FLOP/s of the
 * trainable block's matMuls and the speed-up over wasm measured in the same run; plus the
 * onnxruntime time of the frozen layers for the same texts. Every step reuses one batch, so later
 * steps time the trainable part alone. Then `parity`: two steps of a tiny batch on WebGPU and on
 * wasm, their loss and weight differences (on SwiftShader where no GPU is found; minutes there).
 * Then `phases` (bench/lib/trainPhases.ts): where a step's time goes (tokenizer, frozen layers,
 * tfjs forward and backward, optimizer, checkpoint, yield), steps/s and the speed-up, for a
 * baseline backend and the trainer's default one measured in the same run, on a small batch of
 * new pairs every step (the baseline defaults to the next backend down: wasm, or cpu where wasm is
 * the default).
 * Usage: node bin/run-ts.mjs bench/train.ts [--json] [--steps N] [--doc-words N] [--query-words N]
 *   [--backends webgpu,tensorflow-gpu,tensorflow,wasm,cpu] [--threads N] [--no-parity]
 *   [--phases-only] [--baseline BACKEND] [--phase-steps N] [--phase-pairs N] [--phase-doc-words N].
 * JSON on stdout (always; --json is accepted like the other benchmarks take it).
 * `--procrustes [--dims 512] [--repeats 3]` instead times and checks the compensator's Procrustes
 * rotation, SVD against the eigen route it replaced (bench/lib/procrustes.ts).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { TrainingPair, TrainOptions } from '../core/adapt/types.ts';
import { createUseLiteTrainer } from '../core/adapt/train/index.ts';
import type { TrainingBackendName } from '../core/adapt/train/index.ts';
import { chooseTrainingBackend } from '../core/adapt/train/backend.ts';
import { trainingParity } from '../core/adapt/train/parity.ts';
import { TEST_PAIRS, testOptions } from '../core/adapt/train/testSupport.ts';
import { probeWebGpu, softwareAdapterKind } from '../core/adapt/train/webgpu.ts';
import { sharedTokenizer, sharedUseLiteParts } from '../core/adapt/train/assets.ts';
import { procrustesReport } from './lib/procrustes.ts';
import { FrozenFeatures } from '../core/adapt/train/frozenFeatures.ts';
import { buildFrozenOnnx } from '../core/adapt/train/frozenModel.ts';
import { BundledEncoder, useLiteModelDir } from '../core/encoder/index.ts';
import type { JobContext } from '../core/jobs/index.ts';
import { measureConfiguration, phaseBackends, speedups } from './lib/trainPhases.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => Number(args[args.indexOf(name) + 1]) || fallback;
const steps = option('--steps', 3);
const docWords = option('--doc-words', 110);
const queryWords = option('--query-words', 12);
const threads = option('--threads', os.availableParallelism());
const backendArg = args.includes('--backends') ? args[args.indexOf('--backends') + 1] : undefined;
const BACKENDS = (backendArg?.split(',') ?? [
  'webgpu',
  'tensorflow-gpu',
  'tensorflow',
  'wasm',
]) as TrainingBackendName[];
const PARITY = !args.includes('--no-parity');
const PHASES_ONLY = args.includes('--phases-only');
const baselineArg = args.includes('--baseline') ? args[args.indexOf('--baseline') + 1] : undefined;
const phaseSteps = option('--phase-steps', 3);
const phasePairs = option('--phase-pairs', 4);
const phaseDocWords = option('--phase-doc-words', 40);
const BATCH = 32;
const NEGATIVES = 7;

/** Deterministic texts of `words` single-piece vocabulary words. */
function makeTexts(vocabulary: readonly string[], count: number, words: number, seed: number): string[] {
  let state = seed;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return Array.from({ length: count }, () =>
    Array.from({ length: words }, () => vocabulary[Math.floor(next() * vocabulary.length)]).join(' '),
  );
}

async function singlePieceWords(): Promise<string[]> {
  const vocab = JSON.parse(await readFile(path.join(useLiteModelDir(), 'vocab.json'), 'utf8')) as Array<
    [string, number | null]
  >;
  return vocab
    .slice(50, 3000)
    .map(([piece]) => piece)
    .filter((p) => /^\u2581[a-z]{3,}$/.test(p))
    .map((p) => p.slice(1));
}

async function makePairs(count = BATCH, negatives = NEGATIVES, words = docWords): Promise<TrainingPair[]> {
  const vocabulary = await singlePieceWords();
  const queries = makeTexts(vocabulary, count, queryWords, 1);
  const documents = makeTexts(vocabulary, count * (1 + negatives), words, 2);
  return queries.map((query, i) => ({
    query,
    positive: documents[i] ?? '',
    negatives: documents.slice(count + i * negatives, count + (i + 1) * negatives),
    source: 'qrels',
  }));
}

/** The phase split of a baseline backend and of the default one, on new pairs every step. */
async function phases(from: BundledEncoder, workDir: string): Promise<Record<string, unknown>> {
  const negatives = 1;
  const settings = {
    from,
    pairs: await makePairs(phasePairs * phaseSteps, negatives, phaseDocWords),
    options: { ...trainOptions(phaseSteps), batchSize: phasePairs, negativesPerPair: negatives },
    threads,
    workDir,
  };
  const chosen = await phaseBackends(baselineArg as TrainingBackendName | undefined);
  const before = await measureConfiguration(chosen.baseline, settings);
  const after = await measureConfiguration(chosen.current, settings, chosen.currentReason);
  return {
    batch: {
      pairs: phasePairs,
      negativesPerPair: negatives,
      docWords: phaseDocWords,
      newPairsEveryStep: true,
    },
    steps: phaseSteps,
    baseline: before,
    current: after,
    currentOverBaseline: speedups(before, after),
  };
}

function trainOptions(stepCount: number): TrainOptions {
  return {
    steps: stepCount,
    batchSize: BATCH,
    negativesPerPair: NEGATIVES,
    temperature: 0.02,
    lq: 1,
    ld: 1,
    learningRate: 1e-5,
    weightDecay: 0.01,
    warmupSteps: 1,
    clipNorm: 1,
    seed: 1,
  };
}

/** A context that records when each step ended. */
function timingContext(stepEnds: number[]): JobContext {
  return {
    signal: new AbortController().signal,
    report: (progress) => {
      if (progress.done > 0) stepEnds.push(performance.now());
    },
    checkpoint: () => Promise.resolve(),
  };
}

async function frozenFeaturesMs(pairs: readonly TrainingPair[]): Promise<number> {
  const parts = await sharedUseLiteParts();
  const features = await FrozenFeatures.open(buildFrozenOnnx(parts.frozen), await sharedTokenizer(), threads);
  const texts = pairs.flatMap((p) => [p.query, p.positive, ...p.negatives]);
  const start = performance.now();
  await features.statesOf(texts);
  const ms = performance.now() - start;
  await features.close();
  return ms;
}

async function timeBackend(
  backend: TrainingBackendName,
  pairs: TrainingPair[],
  from: BundledEncoder,
  workDir: string,
  flopsPerStep: number,
): Promise<Record<string, unknown>> {
  let reason: string;
  try {
    reason = (await chooseTrainingBackend([backend])).reason;
  } catch (error) {
    return { available: false, error: (error as Error).message };
  }
  const trainer = createUseLiteTrainer({
    cacheDir: workDir,
    backends: [backend],
    threads,
    checkpointEvery: 1e9,
  });
  const stepEnds: number[] = [];
  const start = performance.now();
  const candidate = await trainer.train(
    {
      from,
      pairs,
      options: trainOptions(steps),
      checkpointDir: path.join(workDir, `checkpoint-${backend}`),
    },
    timingContext(stepEnds),
  );
  await candidate.close();
  const stepMs = stepEnds.map((end, i) => end - (i === 0 ? start : (stepEnds[i - 1] ?? end)));
  const later = stepMs.slice(1).sort((a, b) => a - b);
  const msPerStep = later[Math.floor(later.length / 2)] ?? stepMs[0] ?? NaN;
  return {
    available: true,
    reason,
    firstStepMsWithSetup: round(stepMs[0] ?? NaN),
    msPerStep: round(msPerStep),
    gflopsPerSecond: round(flopsPerStep / msPerStep / 1e6),
    stepMs: stepMs.map(round),
    phaseMsPerStep: Object.fromEntries(
      Object.entries(candidate.report.phaseMs).map(([phase, ms]) => [phase, round(ms)]),
    ),
    firstLoss: round(candidate.report.firstLoss),
    lastLoss: round(candidate.report.lastLoss),
  };
}

/**
 * The matMul FLOPs of one step of the trainable block: each text's tokens through the layer's
 * dense kernels (512x1536 qkv, 512x512 output, 512x1536 and 1536x512 feed-forward) and attention,
 * its pooled row through the 512x512 tanh layer; the forward pass runs twice (embedding without a
 * tape, then with one) and the backward pass costs about two forward passes.
 */
function trainingFlopsPerStep(tokensPerText: readonly number[]): number {
  const width = 512;
  const tokenKernels = width * 1536 + width * width + width * 1536 + 1536 * width;
  const forward = tokensPerText.reduce(
    (sum, tokens) => sum + 2 * tokens * tokenKernels + 4 * tokens * tokens * width + 2 * width * width,
    0,
  );
  return 4 * forward;
}

/** Two steps of a tiny batch on WebGPU and on wasm: SwiftShader stands in where no GPU is found. */
async function parity(from: BundledEncoder, workDir: string): Promise<Record<string, unknown>> {
  const probe = await probeWebGpu();
  if (!probe.found) return { available: false, reason: `no WebGPU adapter: ${probe.reason}` };
  const result = await trainingParity({
    from,
    pairs: TEST_PAIRS.slice(0, 2).map((pair) => ({ ...pair, negatives: [] })),
    options: testOptions({ steps: 2, batchSize: 2, negativesPerPair: 0, learningRate: 1e-4 }),
    workDir: path.join(workDir, 'parity'),
    backends: ['wasm', 'webgpu'],
    allowSoftwareGpu: true,
  });
  return {
    available: true,
    adapter: probe.adapter.description || probe.adapter.device,
    softwareAdapter: softwareAdapterKind(probe.adapter) ?? null,
    steps: 2,
    ...result,
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

async function main(): Promise<void> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'driftless-bench-train-'));
  try {
    if (PHASES_ONLY) {
      const from = await BundledEncoder.load({ cacheDir: workDir, threads });
      const report = { onnxruntimeThreads: threads, phases: await phases(from, workDir) };
      await from.close();
      console.log(JSON.stringify(report, null, 2));
      return;
    }
    const pairs = await makePairs();
    const tokenizer = await sharedTokenizer();
    const texts = pairs.flatMap((p) => [p.query, p.positive, ...p.negatives]);
    const tokens = texts.reduce((sum, t) => sum + tokenizer.encodeTruncated(t).length, 0);
    const flops = trainingFlopsPerStep(texts.map((t) => tokenizer.encodeTruncated(t).length));
    const from = await BundledEncoder.load({ cacheDir: workDir, threads });
    const backends: Record<string, Record<string, unknown>> = {};
    for (const backend of BACKENDS)
      backends[backend] = await timeBackend(backend, pairs, from, workDir, flops);
    const wasmMs = backends.wasm?.msPerStep;
    for (const result of Object.values(backends))
      if (typeof wasmMs === 'number' && typeof result.msPerStep === 'number')
        result.speedupOverWasm = round(wasmMs / result.msPerStep);
    const parityReport = PARITY ? await parity(from, workDir) : { available: false, reason: '--no-parity' };
    const phaseReport = await phases(from, workDir);
    await from.close();
    const report = {
      batch: { pairs: BATCH, negativesPerPair: NEGATIVES, texts: texts.length, tokens },
      steps,
      trainingGflopPerStep: round(flops / 1e9),
      onnxruntimeThreads: threads,
      frozenFeaturesMs: round(await frozenFeaturesMs(pairs)),
      backends,
      parity: parityReport,
      phases: phaseReport,
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

if (args.includes('--procrustes'))
  console.log(JSON.stringify(procrustesReport(option('--dims', 512), option('--repeats', 3)), null, 2));
else await main();
