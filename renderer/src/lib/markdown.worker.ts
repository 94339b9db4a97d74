import { answerMarkdownRequest, type MarkdownReply, type MarkdownRequest } from './markdownWorkerProtocol.ts';

/**
 * The preview's Markdown renderer off the window's thread: parsing a 200 KiB note takes about a
 * second, which froze the window. Only the rendering moves here; DOMPurify needs the DOM and
 * sanitises the HTML on the page, as before.
 */
// The renderer's TypeScript config has the DOM library, not the worker one: name what is used.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<MarkdownRequest>) => void) | null;
  postMessage(reply: MarkdownReply): void;
};

scope.onmessage = (event) => scope.postMessage(answerMarkdownRequest(event.data));
