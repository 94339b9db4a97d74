import { afterEach, describe, expect, it, vi } from 'vitest';
import { markdownHtml } from './markdownHtml.ts';
import { MarkdownWorkerClient, type MarkdownWorkerPort } from './markdownWorkerClient.ts';
import type { MarkdownReply, MarkdownRequest } from './markdownWorkerProtocol.ts';

const NOTES = [
  '# Tide log\n\nReadings of the ~~old~~ gauges.\n\n| a | b |\n| --- | :-: |\n| 1 | 2 |\n',
  '- [ ] mend nets\n- [x] tar hull\n\n```js\nconst x = 1 < 2;\n```\n\nsee www.example.com',
  '# T\r\n\r\n<div onclick="x()">hi</div>\r\n\r\n> quoted *emphasis* and `code`',
  '',
  `# Long\n\n${'A paragraph of harbour notes, with **bold** words.\n\n'.repeat(400)}`,
];

/**
 * The worker script itself, loaded as the window loads it, with `self` standing in for its global
 * scope: what it posts back for a message is what the page receives.
 */
async function loadWorkerScope(): Promise<{ ask: (request: MarkdownRequest) => MarkdownReply }> {
  const posted: MarkdownReply[] = [];
  const scope = {
    onmessage: null as ((event: MessageEvent<MarkdownRequest>) => void) | null,
    postMessage: (reply: MarkdownReply) => posted.push(reply),
  };
  vi.stubGlobal('self', scope);
  vi.resetModules();
  await import('./markdown.worker.ts');
  return {
    ask: (request) => {
      scope.onmessage!(new MessageEvent('message', { data: request }));
      return posted.at(-1)!;
    },
  };
}

/** A worker whose replies the test delivers, in any order, from the real message handler. */
function fakeWorker() {
  const posted: MarkdownRequest[] = [];
  let created = 0;
  let worker: MarkdownWorkerPort | undefined;
  const create = (): MarkdownWorkerPort => {
    created++;
    worker = {
      postMessage: (request) => posted.push(request),
      onmessage: null,
      onerror: null,
      terminate: () => {},
    };
    return worker;
  };
  return {
    create,
    posted,
    created: () => created,
    reply: (data: MarkdownReply) => worker!.onmessage!(new MessageEvent('message', { data })),
    fail: (message: string) => worker!.onerror!({ message } as ErrorEvent),
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the Markdown worker', () => {
  it("answers each note with exactly markdownHtml's output, under the request's id", async () => {
    const { ask } = await loadWorkerScope();
    NOTES.forEach((body, i) => {
      expect(ask({ id: i + 1, body })).toEqual({ id: i + 1, html: markdownHtml(body) });
    });
  });
});

describe('MarkdownWorkerClient', () => {
  it('creates one worker and reuses it for every render', async () => {
    const { ask } = await loadWorkerScope();
    const worker = fakeWorker();
    const client = new MarkdownWorkerClient(worker.create);
    for (const body of NOTES) {
      const html = client.render(body);
      worker.reply(ask(worker.posted.at(-1)!));
      await expect(html).resolves.toBe(markdownHtml(body));
    }
    expect(worker.created()).toBe(1);
  });

  it("drops a superseded render's result, whichever reply arrives first", async () => {
    const { ask } = await loadWorkerScope();
    const worker = fakeWorker();
    const client = new MarkdownWorkerClient(worker.create);
    const first = client.render(NOTES[0]!);
    const second = client.render(NOTES[1]!);
    const third = client.render(NOTES[2]!);
    const [firstRequest, secondRequest, thirdRequest] = worker.posted;
    await expect(first).resolves.toBeUndefined();
    // The newest reply first, then the stale ones: neither may replace or follow it.
    worker.reply(ask(thirdRequest!));
    worker.reply(ask(firstRequest!));
    worker.reply(ask(secondRequest!));
    await expect(second).resolves.toBeUndefined();
    await expect(third).resolves.toBe(markdownHtml(NOTES[2]!));

    // A stale reply arriving while a newer render waits does not answer it.
    const fourth = client.render(NOTES[3]!);
    worker.reply(ask(secondRequest!));
    worker.reply(ask(worker.posted.at(-1)!));
    await expect(fourth).resolves.toBe(markdownHtml(NOTES[3]!));
  });

  it('rejects a render the worker could not do, and starts a fresh worker after one failed', async () => {
    const worker = fakeWorker();
    const client = new MarkdownWorkerClient(worker.create);
    const refused = client.render('# a');
    worker.reply({ id: worker.posted.at(-1)!.id, error: 'too deep' });
    await expect(refused).rejects.toThrow('too deep');

    const crashed = client.render('# b');
    worker.fail('script failed to load');
    await expect(crashed).rejects.toThrow('script failed to load');
    expect(worker.created()).toBe(1);

    const retried = client.render('# c');
    expect(worker.created()).toBe(2);
    worker.reply({ id: worker.posted.at(-1)!.id, html: '<h1>c</h1>' });
    await expect(retried).resolves.toBe('<h1>c</h1>');
  });
});
