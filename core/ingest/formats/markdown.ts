import { markdownSteps, parseMarkdown } from '../parse/markdown.ts';
import { defineNoteFormat } from './noteFormat.ts';
import { decodeUtf8Note } from './utf8.ts';

/** Markdown with optional YAML front matter; parsed in steps, being the one costly parser. */
export const markdownFormat = defineNoteFormat({
  name: 'markdown',
  extensions: ['.md', '.markdown'],
  decode: decodeUtf8Note,
  parse: (source, { relPath }) => parseMarkdown(relPath, source),
  parseSteps: (source, { relPath }) => markdownSteps(relPath, source),
});
