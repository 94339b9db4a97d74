import { describe, expect, it } from 'vitest';
import { JobQueue } from './jobQueue.ts';
import type { JobContext } from './types.ts';

/** A job that advances one step each time the test lets it, so pause and cancel points are exact. */
function steppedJob(steps: number) {
  const gates: Array<() => void> = [];
  const reached: number[] = [];
  const run = async (context: JobContext) => {
    for (let step = 0; step < steps; step++) {
      await context.checkpoint();
      reached.push(step);
      context.report({ phase: 'work', done: step + 1, total: steps });
      await new Promise<void>((open) => gates.push(open));
    }
    return 'result';
  };
  const advance = async () => {
    while (gates.length === 0) await new Promise((r) => setTimeout(r, 1));
    gates.shift()!();
  };
  return { run, advance, reached };
}

describe('JobQueue', () => {
  it('runs jobs one at a time in order and reports progress', async () => {
    const queue = new JobQueue();
    const a = steppedJob(2);
    const b = steppedJob(1);
    const first = queue.enqueue({ kind: 'import', label: 'a', run: a.run });
    const second = queue.enqueue({ kind: 'import', label: 'b', run: b.run });
    await a.advance();
    expect(queue.get(second.id).state).toBe('queued');
    expect(queue.get(first.id)).toMatchObject({ state: 'running', done: 1, total: 2, phase: 'work' });
    await a.advance();
    expect(await first.result).toBe('result');
    await b.advance();
    await second.result;
    expect(queue.list().map((job) => job.state)).toEqual(['finished', 'finished']);
  });

  it('pauses at the next checkpoint and resumes', async () => {
    const queue = new JobQueue();
    const job = steppedJob(3);
    const { id, result } = queue.enqueue({ kind: 'adapt', label: 'train', run: job.run });
    await job.advance();
    queue.pause(id);
    await job.advance();
    await new Promise((r) => setTimeout(r, 10));
    expect(job.reached).toEqual([0, 1]);
    expect(queue.get(id).state).toBe('paused');
    queue.resume(id);
    await job.advance();
    await result;
    expect(job.reached).toEqual([0, 1, 2]);
  });

  it('cancels running and queued jobs with a CANCELLED error', async () => {
    const queue = new JobQueue();
    const running = steppedJob(5);
    const a = queue.enqueue({ kind: 'import', label: 'a', run: running.run });
    const b = queue.enqueue({ kind: 'import', label: 'b', run: steppedJob(1).run });
    queue.cancel(b.id);
    await expect(b.result).rejects.toMatchObject({ code: 'CANCELLED' });
    while (running.reached.length === 0) await new Promise((r) => setTimeout(r, 1));
    queue.cancel(a.id);
    await running.advance();
    await expect(a.result).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(queue.get(a.id).state).toBe('cancelled');
    expect(running.reached).toEqual([0]);
  });

  it('answers the cancel of a paused job with a state that is no longer paused', async () => {
    const queue = new JobQueue();
    const job = steppedJob(3);
    const seen: string[] = [];
    queue.events.on((info) => seen.push(info.state));
    const { id, result } = queue.enqueue({ kind: 'import', label: 'paused', run: job.run });
    queue.pause(id);
    await job.advance();
    while (!seen.includes('paused')) await new Promise((r) => setTimeout(r, 1));
    // A window applies both this answer and the events; "paused" here would outlive "cancelled".
    expect(queue.cancel(id).state).toBe('running');
    await expect(result).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(queue.get(id).state).toBe('cancelled');
    expect(seen.at(-1)).toBe('cancelled');
  });

  it('keeps a quiet job out of lists and events unless it reports progress or fails', async () => {
    const queue = new JobQueue();
    const announced: string[] = [];
    queue.events.on((info) => announced.push(`${info.label}:${info.state}`));
    const nothing = queue.enqueue({ kind: 'import', label: 'check', quiet: true, run: async () => 0 });
    await nothing.result;
    expect(queue.list()).toEqual([]);
    const work = queue.enqueue({
      kind: 'import',
      label: 'repair',
      quiet: true,
      folderId: 'f1',
      run: async (context) => context.report({ phase: 'repair', done: 1, total: 1 }),
    });
    await work.result;
    const failing = queue.enqueue({
      kind: 'import',
      label: 'broken',
      quiet: true,
      run: async () => {
        throw new Error('damaged');
      },
    });
    await expect(failing.result).rejects.toThrow('damaged');
    expect(queue.list().map((job) => [job.label, job.state, job.folderId])).toEqual([
      ['repair', 'finished', 'f1'],
      ['broken', 'failed', undefined],
    ]);
    expect(announced).toEqual(['repair:running', 'repair:finished', 'broken:failed']);
    const ended: string[] = [];
    queue.endings.on((info) => ended.push(`${info.label}:${info.state}`));
    await queue.enqueue({ kind: 'import', label: 'check again', quiet: true, run: async () => 0 }).result;
    // The app's own follow-up work (choosing the fusion after an import) still sees a quiet job end.
    expect(ended).toEqual(['check again:finished']);
    expect(queue.list().map((job) => job.label)).not.toContain('check again');
  });

  it('records a failure reason and keeps running later jobs', async () => {
    const queue = new JobQueue();
    const bad = queue.enqueue({
      kind: 'import',
      label: 'bad',
      run: async () => {
        throw new Error('disk on fire');
      },
    });
    const good = queue.enqueue({ kind: 'import', label: 'good', run: async () => 42 });
    await expect(bad.result).rejects.toThrow('disk on fire');
    expect(await good.result).toBe(42);
    expect(queue.get(bad.id)).toMatchObject({
      state: 'failed',
      error: 'disk on fire',
      errorCode: 'INTERNAL',
    });
  });

  it('refuses new jobs after close', async () => {
    const queue = new JobQueue();
    await queue.close();
    expect(() => queue.enqueue({ kind: 'import', label: 'late', run: async () => 1 })).toThrow(
      /shutting down/,
    );
  });
});

describe('JobQueue ETAs', () => {
  it('estimates from the steady clock, whatever the wall clock says', async () => {
    let now = 1000;
    const queue = new JobQueue(() => now);
    const wallClock = Date.now;
    const job = steppedJob(4);
    const { id, result } = queue.enqueue({ kind: 'import', label: 'eta', run: job.run });
    while (job.reached.length === 0) await new Promise((r) => setTimeout(r, 1));
    now += 10_000;
    Date.now = () => wallClock() - 86_400_000; // the system clock is set back a day
    try {
      await job.advance();
      while (job.reached.length < 2) await new Promise((r) => setTimeout(r, 1));
      // Two of four steps done in 10 s of steady time (the first report came at 0 s).
      expect(queue.get(id).etaSeconds).toBeCloseTo(10);
    } finally {
      Date.now = wallClock;
    }
    await job.advance();
    await job.advance();
    await job.advance();
    await result;
    expect(queue.get(id).etaSeconds).toBeUndefined();
  });
});
