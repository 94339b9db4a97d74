import { markdownHtml } from './markdownHtml.ts';

/** A Markdown body (front matter already removed) to render, numbered so its reply can be matched. */
export interface MarkdownRequest {
  id: number;
  body: string;
}

/** The unsanitised HTML of a request's body, or why it could not be rendered. */
export type MarkdownReply = { id: number; html: string } | { id: number; error: string };

/**
 * What the preview's worker answers to one request: exactly `markdownHtml`'s output, so the page
 * sanitises the same HTML whichever thread rendered it. A failure is a reply, not a thrown error,
 * so the page can tell which request failed.
 */
export function answerMarkdownRequest({ id, body }: MarkdownRequest): MarkdownReply {
  try {
    return { id, html: markdownHtml(body) };
  } catch (error) {
    return { id, error: error instanceof Error ? error.message : String(error) };
  }
}
