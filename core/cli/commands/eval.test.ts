import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppOptions } from '../../app/types.ts';
import { fixtureDeps } from '../../eval/continual/testing/fixtureRun.ts';
import { FIXTURE_DATASETS } from '../../eval/continual/testing/fixtureRun.ts';
import { FeatureHashingEncoder } from '../../testing/index.ts';
import { main } from '../main.ts';
import { CapturedStream, ManualInterrupts } from '../testing.ts';
import { evalContinualCommand } from './evalContinual.ts';

const TINY = fileURLToPath(new URL('../../eval/fixtures/tiny/', import.meta.url));

let temp: string;
beforeEach(async () => {
  temp = await mkdtemp(path.join(os.tmpdir(), 'driftless-cli-eval-'));
});
afterEach(async () => {
  await rm(temp, { recursive: true, force: true });
});

function io() {
  const interrupts = new ManualInterrupts();
  return { stdout: new CapturedStream(), stderr: new CapturedStream(), onInterrupt: interrupts.subscribe };
}

describe('driftless eval retrieval', () => {
  it('scores text, dense and hybrid search in a scratch data folder, not the default one', async () => {
    const { openApp } = await import('../../app/index.ts');
    const opened: string[] = [];
    const streams = io();
    const code = await main(['eval', 'retrieval', TINY, '--json'], {
      openApp: (options: AppOptions) => {
        opened.push(options.dataDir);
        const encoder = new FeatureHashingEncoder({ dimensions: 64 });
        return openApp({ ...options, dimensions: 64, loadEncoder: async () => encoder });
      },
      stdout: streams.stdout,
      stderr: streams.stderr,
      onInterrupt: streams.onInterrupt,
      env: { DRIFTLESS_DATA_DIR: path.join(temp, 'default-data') },
    });
    expect(streams.stderr.text).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(streams.stdout.text) as {
      queries: number;
      modes: Record<string, Record<string, number>>;
    };
    expect(result.queries).toBe(3);
    expect(Object.keys(result.modes)).toEqual(['text', 'dense', 'hybrid']);
    for (const metrics of Object.values(result.modes)) {
      expect(Object.keys(metrics)).toEqual(['nDCG@10', 'Recall@10', 'Recall@100', 'MRR@10']);
    }
    expect(result.modes.text!['nDCG@10']).toBeGreaterThan(0.5);
    expect(opened).toHaveLength(1);
    expect(opened[0]).not.toContain('default-data');
  });

  it('scores only the queries it ran with --limit-queries', async () => {
    const { openApp } = await import('../../app/index.ts');
    const streams = io();
    const code = await main(['eval', 'retrieval', TINY, '--json', '--limit-queries', '1', '--mode', 'text'], {
      openApp: (options: AppOptions) =>
        openApp({
          ...options,
          dimensions: 64,
          loadEncoder: async () => new FeatureHashingEncoder({ dimensions: 64 }),
        }),
      stdout: streams.stdout,
      stderr: streams.stderr,
      onInterrupt: streams.onInterrupt,
      env: { DRIFTLESS_DATA_DIR: path.join(temp, 'default-data') },
    });
    expect(code).toBe(0);
    const result = JSON.parse(streams.stdout.text) as {
      queries: number;
      modes: Record<string, Record<string, number>>;
    };
    expect(result.queries).toBe(1);
    expect(Object.keys(result.modes)).toEqual(['text']);
    // q1 ("how does a heat pump warm a house") finds its relevant note first by its words.
    expect(result.modes.text!['MRR@10']).toBe(1);
  });
});

describe('driftless eval retrieval usage', () => {
  it('rejects an unknown mode before opening anything', async () => {
    const streams = io();
    const code = await main(['eval', 'retrieval', TINY, '--mode', 'dense,sparse'], {
      openApp: () => Promise.reject(new Error('must not open')),
      stdout: streams.stdout,
      stderr: streams.stderr,
      onInterrupt: streams.onInterrupt,
    });
    expect(code).toBe(2);
    expect(streams.stderr.text).toContain('Modes must be among');
  });
});

describe('driftless eval continual', () => {
  it('writes the report files and prints the per-task averages', async () => {
    const streams = io();
    const out = path.join(temp, 'out');
    const report = await evalContinualCommand(
      FIXTURE_DATASETS,
      {
        out,
        quick: true,
        seed: 3,
        kinds: ['mean'],
        steps: 4,
        cacheDir: path.join(temp, 'cache'),
        workDir: path.join(temp, 'work'),
      },
      streams,
      fixtureDeps(),
    );
    expect(report.config.kinds).toEqual(['mean']);
    expect(report.config.train.steps).toBe(4);
    expect(await readdir(out)).toEqual(expect.arrayContaining(['report.json', 'report.md', 'plots']));
    expect(streams.stdout.text).toContain('Average nDCG@10 after 2 tasks');
    expect(streams.stdout.text).toMatch(/ft\+kd\+mean\s+\d\.\d{4}/);
    // A whole continual run: minutes on a loaded two-core machine.
  }, 300_000);

  it('rejects unknown compensator kinds as a usage error', async () => {
    const streams = io();
    const code = await main(
      ['eval', 'continual', ...FIXTURE_DATASETS, '--out', temp, '--kinds', 'mean,cubic'],
      {
        stdout: streams.stdout,
        stderr: streams.stderr,
        onInterrupt: streams.onInterrupt,
      },
    );
    expect(code).toBe(2);
    expect(streams.stderr.text).toContain('Kinds must be among');
  });
});
