import { parseHtml } from '../parse/html.ts';
import { defineNoteFormat } from './noteFormat.ts';
import { decodeUtf8Note } from './utf8.ts';

/** HTML pages (saved articles, exported notes). */
export const htmlFormat = defineNoteFormat({
  name: 'html',
  extensions: ['.html', '.htm'],
  decode: decodeUtf8Note,
  parse: (source, { relPath }) => parseHtml(relPath, source),
});
