import { defineNoteFormat } from './noteFormat.ts';
import { decodeUtf8Note } from './utf8.ts';

/** HTML pages (saved articles, exported notes). */
export const htmlFormat = defineNoteFormat({
  name: 'html',
  extensions: ['.html', '.htm'],
  decode: decodeUtf8Note,
  loadParser: async () => {
    const { parseHtml } = await import('../parse/html.ts');
    return { parse: (source, { relPath }) => parseHtml(relPath, source) };
  },
});
