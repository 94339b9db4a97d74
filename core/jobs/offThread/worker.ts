/**
 * The heavy-work thread: training of the bundled encoder (tfjs and onnxruntime), the candidate's
 * and job encoders' embedding (onnxruntime runs synchronously on its calling thread) and
 * compensator fitting (pure JavaScript); started a second time (parse.ts), the parsing of big
 * notes. The app's thread keeps serving search, status and job listing meanwhile. On Linux this
 * thread lowers its own scheduling priority first, so the threads it starts (onnxruntime's pool)
 * run at that priority too.
 */
import { readlinkSync } from 'node:fs';
import os from 'node:os';
import { parentPort } from 'node:worker_threads';
import { DriftlessError, logAndContinue, type SerializedError } from '../../base/index.ts';
import type { Encoder } from '../../encoder/index.ts';
import type { JobContext } from '../types.ts';
import {
  fromWire,
  packVectors,
  toWire,
  unpackVectors,
  type FromWorker,
  type PackedVectors,
  type Question,
  type ToWorker,
} from './protocol.ts';
import type {
  CandidateInfo,
  EncoderInfo,
  EncoderSource,
  FitCall,
  FitForwardCall,
  FitForwardReply,
  FitReply,
  FromRef,
  ParseCall,
  TrainCall,
} from './calls.ts';

/** Nice value of this thread: below the app's thread, which serves search. */
const WORKER_NICE = 10;

const port = parentPort;
if (!port) throw new Error('offThread/worker.ts runs only as a worker thread.');

lowerPriority();

interface Running {
  controller: AbortController;
  asks: Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>;
  nextAsk: number;
}

type Held = { kind: 'encoder'; encoder: Encoder } | { kind: 'candidate'; candidate: CandidateLike };

interface CandidateLike {
  readonly report: object;
  encoder(version?: string): Promise<Encoder>;
  writeVersionFiles(dir: string): Promise<void>;
  close(): Promise<void>;
}

const running = new Map<number, Running>();
const held = new Map<number, Held>();
let nextHandle = 1;

port.on('message', (message: ToWorker) => {
  if (message.type === 'abort') running.get(message.id)?.controller.abort();
  else if (message.type === 'reply') answer(message.id, message.seq, message.value, message.error);
  else void serve(message.id, message.method, message.args);
});

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

async function serve(id: number, method: string, args: unknown): Promise<void> {
  const call: Running = { controller: new AbortController(), asks: new Map(), nextAsk: 1 };
  running.set(id, call);
  try {
    const { value, transfer } = await dispatch(method, args, call, id);
    post({ type: 'done', id, value }, transfer ?? []);
  } catch (error) {
    post({ type: 'failed', id, error: toWire(error) });
  } finally {
    running.delete(id);
  }
}

function ask(id: number, call: Running, question: Question): Promise<unknown> {
  const seq = call.nextAsk++;
  return new Promise((resolve, reject) => {
    call.asks.set(seq, { resolve, reject });
    post({ type: 'ask', id, seq, question });
  });
}

function answer(id: number, seq: number, value: unknown, error: SerializedError | undefined): void {
  const call = running.get(id);
  const waiting = call?.asks.get(seq);
  if (!call || !waiting) return;
  call.asks.delete(seq);
  if (error) waiting.reject(fromWire(error));
  else waiting.resolve(value);
}

type Outcome = { value: unknown; transfer?: ArrayBuffer[] };

async function dispatch(method: string, args: unknown, call: Running, id: number): Promise<Outcome> {
  switch (method) {
    case 'openEncoder':
      return { value: hold(await openEncoder(args as EncoderSource)) };
    case 'embed': {
      const { handle, side, texts } = args as {
        handle: number;
        side: 'queries' | 'documents';
        texts: string[];
      };
      const encoder = heldEncoder(handle);
      const vectors =
        side === 'queries'
          ? await encoder.embedQueries(texts, call.controller.signal)
          : await encoder.embedDocuments(texts, call.controller.signal);
      const packed = packVectors(vectors, encoder.dimensions);
      return { value: packed, transfer: [packed.data.buffer as ArrayBuffer] };
    }
    case 'release': {
      const { handle } = args as { handle: number };
      const item = held.get(handle);
      held.delete(handle);
      if (item?.kind === 'encoder') await item.encoder.close();
      if (item?.kind === 'candidate') await item.candidate.close();
      return { value: null };
    }
    case 'train':
      return { value: await train(args as TrainCall, call, id) };
    case 'candidateEncoder': {
      const { handle, version } = args as { handle: number; version: string };
      const item = held.get(handle);
      if (item?.kind !== 'candidate') throw gone(handle);
      return { value: hold(await item.candidate.encoder(version)) };
    }
    case 'writeVersionFiles': {
      const { handle, dir } = args as { handle: number; dir: string };
      const item = held.get(handle);
      if (item?.kind !== 'candidate') throw gone(handle);
      await item.candidate.writeVersionFiles(dir);
      return { value: null };
    }
    case 'fit':
      return fit(args as FitCall, call, id);
    case 'fitForward':
      return fitForward(args as FitForwardCall, call);
    case 'parseNote': {
      // Gives this thread's loop a turn every few milliseconds, so an abort from the app is heard.
      const { relPath, content } = args as ParseCall;
      const { parseNoteYielding } = await import('../../ingest/parse/index.ts');
      return { value: await parseNoteYielding(relPath, content, call.controller.signal) };
    }
    default:
      throw new DriftlessError('INTERNAL', `The heavy-work thread has no method ${method}.`);
  }
}

function hold(encoder: Encoder): EncoderInfo {
  const handle = nextHandle++;
  held.set(handle, { kind: 'encoder', encoder });
  const { backboneId, version, dimensions, maxTokens } = encoder;
  return { handle, backboneId, version, dimensions, maxTokens };
}

function heldEncoder(handle: number): Encoder {
  const item = held.get(handle);
  if (item?.kind !== 'encoder') throw gone(handle);
  return item.encoder;
}

function gone(handle: number): DriftlessError {
  return new DriftlessError('INTERNAL', `The heavy-work thread holds nothing under handle ${handle}.`);
}

async function openEncoder(source: EncoderSource): Promise<Encoder> {
  if (source.kind === 'bundled') {
    const { BundledEncoder } = await import('../../encoder/index.ts');
    return BundledEncoder.load({ cacheDir: source.cacheDir });
  }
  const { loadVersionEncoder } = await import('../../adapt/train/index.ts');
  return loadVersionEncoder(source.dir, source.version);
}

/** The context a trainer sees here: progress and checkpoints go to the job on the app's thread. */
function contextFor(id: number, call: Running): JobContext {
  return {
    signal: call.controller.signal,
    report: (progress) => post({ type: 'report', id, progress }),
    checkpoint: async () => {
      if (call.controller.signal.aborted) throw new DriftlessError('CANCELLED', 'The job was cancelled.');
      await ask(id, call, { kind: 'checkpoint' });
    },
  };
}

async function train(args: TrainCall, call: Running, id: number): Promise<CandidateInfo> {
  const { createUseLiteTrainer } = await import('../../adapt/train/index.ts');
  const { from, release } = await fromEncoder(args.from, call, id);
  try {
    const trainer = createUseLiteTrainer({
      ...args.settings,
      onBackend: ({ name, reason }) =>
        void ask(id, call, { kind: 'backend', name, reason }).catch(
          logAndContinue('Reporting the training backend to the app'),
        ),
    });
    const candidate = await trainer.train(
      { from, pairs: args.pairs, options: args.options, checkpointDir: args.checkpointDir },
      contextFor(id, call),
    );
    const handle = nextHandle++;
    held.set(handle, { kind: 'candidate', candidate });
    return { handle, report: { ...candidate.report } };
  } finally {
    await release();
  }
}

/** The `from` encoder in this thread: one held here, one opened from its files, or the app thread's. */
async function fromEncoder(
  ref: FromRef,
  call: Running,
  id: number,
): Promise<{ from: Encoder; release(): Promise<void> }> {
  if ('handle' in ref) return { from: heldEncoder(ref.handle), release: async () => undefined };
  if ('source' in ref) {
    const encoder = await openEncoder(ref.source);
    return { from: encoder, release: () => encoder.close() };
  }
  const embed = async (side: 'queries' | 'documents', texts: readonly string[]) =>
    unpackVectors((await ask(id, call, { kind: 'embed', side, texts: [...texts] })) as PackedVectors);
  const remote: Encoder & { readTrainableTensors?(): Promise<ReadonlyMap<string, Float32Array>> } = {
    ...ref.remote,
    countTokens: () => {
      throw new DriftlessError(
        'INTERNAL',
        'Token counts of the app thread’s encoder are not available here.',
      );
    },
    embedQueries: (texts) => embed('queries', texts),
    embedDocuments: (texts) => embed('documents', texts),
    close: async () => undefined,
  };
  if (ref.remote.trainable)
    remote.readTrainableTensors = async () =>
      (await ask(id, call, { kind: 'trainable' })) as ReadonlyMap<string, Float32Array>;
  return { from: remote, release: async () => undefined };
}

async function fit(args: FitCall, call: Running, id: number): Promise<Outcome> {
  const { fitCompensators } = await import('../../compat/fitCompensators.ts');
  const result = await fitCompensators(
    { newVecs: unpackVectors(args.newVecs), oldVecs: unpackVectors(args.oldVecs) },
    {
      ...args.options,
      ...(args.progress ? { onProgress: (progress) => post({ type: 'report', id, progress }) } : {}),
    },
    call.controller.signal,
  );
  const { best, ...rest } = result;
  const reply: FitReply = { ...rest, best: best.toSpec() };
  return { value: reply };
}

async function fitForward(args: FitForwardCall, call: Running): Promise<Outcome> {
  const { fitForwardMap } = await import('../../compat/forwardMap.ts');
  const { map } = await fitForwardMap(
    { stored: unpackVectors(args.stored), current: unpackVectors(args.current), notes: args.notes },
    args.options,
    call.controller.signal,
  );
  const correction = map.correction?.params;
  const reply: FitForwardReply = { best: map.map.toSpec(), ...(correction ? { correction } : {}) };
  return {
    value: reply,
    ...(correction
      ? { transfer: [correction.keys.buffer, correction.residuals.buffer] as ArrayBuffer[] }
      : {}),
  };
}

/**
 * Linux keeps a nice value per thread, and threads inherit their creator's: lowering this one
 * before onnxruntime and tfjs start their threads lowers all of them, and not the app's thread.
 * Elsewhere priorities are per process; there the worker relies on the OS sharing cores fairly.
 */
function lowerPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0 && tid !== process.pid) os.setPriority(tid, WORKER_NICE);
  } catch {
    // No /proc, or not permitted: run at normal priority.
  }
}
