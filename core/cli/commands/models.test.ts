import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../app/index.ts';
import type { App, AppOptions } from '../../app/types.ts';
import { loadCatalogue } from '../../models/index.ts';
import {
  buildTinyBert,
  hubFiles,
  startModelServer,
  unreachableBaseUrl,
  type ModelServer,
} from '../../models/testing/index.ts';
import type { ModelInfo } from '../../service/index.ts';
import { makeTempDir } from '../../testing/index.ts';
import { main } from '../main.ts';
import { CapturedStream, ManualInterrupts } from '../testing.ts';

/** `driftless models` against a real data folder and a local hub serving a tiny real BERT model. */
const ID = 'all-minilm-l6-v2';
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let server: ModelServer;
let onnxPath: string;

async function run(
  argv: string[],
  options: {
    baseUrl?: string;
    stderrTTY?: boolean;
    onOpen?: (app: App) => void;
    interrupts?: ManualInterrupts;
  } = {},
) {
  const stdout = new CapturedStream();
  const stderr = new CapturedStream(options.stderrTTY);
  const code = await main(['--data-dir', path.join(temp.dir, 'data'), ...argv], {
    openApp: async (appOptions: AppOptions) => {
      const app = await openApp({ ...appOptions, modelBaseUrl: options.baseUrl ?? server.baseUrl });
      options.onOpen?.(app);
      return app;
    },
    stdout,
    stderr,
    onInterrupt: (options.interrupts ?? new ManualInterrupts()).subscribe,
    env: {},
    openUrl: () => undefined,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

async function listed(): Promise<ModelInfo | undefined> {
  const { stdout } = await run(['models', '--json']);
  return (JSON.parse(stdout) as ModelInfo[]).find((m) => m.id === ID);
}

beforeAll(async () => {
  temp = await makeTempDir('driftless-cli-models-');
  const entry = (await loadCatalogue()).models.find((m) => m.id === ID);
  if (!entry) throw new Error(`no catalogue entry ${ID}`);
  onnxPath = `/${entry.repo}/resolve/${entry.revision}/onnx/model.onnx`;
  server = await startModelServer(hubFiles(entry, buildTinyBert()));
});

afterAll(async () => {
  await server?.close();
  await temp?.remove();
});

describe('driftless models', () => {
  it('lists the catalogue with install state, as text and as JSON', async () => {
    const text = await run(['models']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/all-minilm-l6-v2\s+not installed/);
    expect(text.stdout).toContain('bge-small-en-v1.5');
    expect(text.stdout).toContain('Search uses the bundled encoder; `driftless models use <id>`');
    expect(await listed()).toMatchObject({ id: ID, installed: false, dimensions: 384 });
  });

  it('says OFFLINE with exit code 9 when the host cannot be reached', async () => {
    const result = await run(['models', 'download', ID], { baseUrl: await unreachableBaseUrl() });
    expect(result.code).toBe(9);
    expect(result.stderr).toMatch(/^driftless: Offline: the model host cannot be reached/);
    expect(result.stderr).toContain(`driftless models download ${ID}\` again`);
  });

  it('cancels on Ctrl-C with exit code 130, and a rerun resumes and installs the model', async () => {
    const interrupts = new ManualInterrupts();
    server.faults.set(onnxPath, { kind: 'stall', afterBytes: 500 });
    const cancelled = await run(['models', 'download', ID], {
      interrupts,
      onOpen: (app) =>
        app.events.on((event) => {
          if (event.type === 'job' && event.job.kind === 'download' && event.job.done >= 500)
            interrupts.fire();
        }),
    });
    expect(cancelled.code).toBe(130);
    expect(cancelled.stderr).toContain('Download cancelled');

    const resumed = await run(['models', 'download', ID], { stderrTTY: true });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`Downloaded ${ID}`);
    expect(resumed.stderr).toContain('Download all-MiniLM-L6-v2');
    expect(resumed.stderr).toMatch(/KB\/[\d.]+ KB/);
    expect(server.requests.filter((r) => r.path === onnxPath).at(-1)?.range).toBe('bytes=500-');
    expect(await listed()).toMatchObject({ installed: true, verified: true });
  });

  it('removes a model, and exits 3 for an unknown id', async () => {
    expect((await run(['models', 'remove', ID])).stdout).toBe(`Removed ${ID}.\n`);
    expect(await listed()).toMatchObject({ installed: false });
    const unknown = await run(['models', 'download', 'no-such-model']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('Unknown model "no-such-model"');
  });
});
