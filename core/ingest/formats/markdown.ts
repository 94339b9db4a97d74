import { defineNoteFormat } from './noteFormat.ts';
import { decodeUtf8Note } from './utf8.ts';

/** Markdown with optional YAML front matter; parsed in steps, being the one costly parser. */
export const markdownFormat = defineNoteFormat({
  name: 'markdown',
  extensions: ['.md', '.markdown'],
  parsedInSteps: true,
  decode: decodeUtf8Note,
  // mdast, micromark and yaml: about 150 modules that a search never needs.
  loadParser: async () => {
    const { markdownSteps, parseMarkdown } = await import('../parse/markdown.ts');
    return {
      parse: (source, { relPath }) => parseMarkdown(relPath, source),
      parseSteps: (source, { relPath }) => markdownSteps(relPath, source),
    };
  },
});
