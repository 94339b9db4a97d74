import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../service/index.ts';
import { JobProgressBars } from './progressBars.ts';
import { CapturedStream } from './testing.ts';

const job = (patch: Partial<JobInfo>): JobInfo => ({
  id: 'j1',
  kind: 'import',
  state: 'running',
  label: 'Import notes',
  done: 0,
  ...patch,
});

describe('JobProgressBars', () => {
  it('shows counts, phase and the App ETA while running, and the final state after', () => {
    const stream = new CapturedStream(true);
    const bars = new JobProgressBars(stream);
    bars.update(job({ done: 3, total: 10, phase: 'embed', etaSeconds: 65 }));
    bars.stop();
    expect(stream.text).toContain('3/10 embed ETA 1m 05s');

    const after = new CapturedStream(true);
    const finished = new JobProgressBars(after);
    finished.update(job({ done: 10, total: 10, state: 'finished' }));
    finished.stop();
    finished.stop();
    expect(after.text).toContain('10/10 finished');
    expect(after.text).not.toContain('ETA');
  });

  it("shows a running job's detail after the ETA, such as the steps a training budget fits", () => {
    const detail = 'loss 0.8123; 200 steps planned; 42 fit the 20-minute budget at 28 s/step on wasm';
    const adapt = { kind: 'adapt' as const, label: 'Adapt', done: 5, total: 42, detail };
    const stream = new CapturedStream(true);
    const bars = new JobProgressBars(stream);
    bars.update(job({ ...adapt, phase: 'train', etaSeconds: 60 }));
    bars.stop();
    // Cut at the test terminal's 100 columns after the ETA, which stays whole.
    expect(stream.text).toContain(`5/42 train ETA 1m 00s · ${detail.slice(0, 16)}`);

    const after = new CapturedStream(true);
    const finished = new JobProgressBars(after);
    finished.update(job({ ...adapt, done: 42, state: 'finished' }));
    finished.stop();
    expect(after.text).toContain('42/42 finished');
    expect(after.text).not.toContain('loss');
  });

  it('shows an unknown total as ?', () => {
    const stream = new CapturedStream(true);
    const bars = new JobProgressBars(stream);
    bars.update(job({ done: 4, phase: 'scan' }));
    bars.stop();
    expect(stream.text).toContain('4/? scan ETA ?');
  });

  it('fills the bar of a finished job whose total was never known (a rescan with nothing to read)', () => {
    const stream = new CapturedStream(true);
    const bars = new JobProgressBars(stream);
    bars.update(job({ done: 3, phase: 'scan' }));
    bars.update(job({ done: 3, phase: 'scan', state: 'finished' }));
    bars.stop();
    const last = stream.text.split('Import notes').at(-1) ?? '';
    expect(last).toContain('3/3 finished');
    expect(last).not.toContain('░');
  });
});
