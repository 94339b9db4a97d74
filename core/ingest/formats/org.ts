import { parseOrg } from '../parse/org.ts';
import { defineNoteFormat } from './noteFormat.ts';
import { decodeUtf8Note } from './utf8.ts';

/** Emacs Org mode. */
export const orgFormat = defineNoteFormat({
  name: 'org',
  extensions: ['.org'],
  decode: decodeUtf8Note,
  parse: (source, { relPath }) => parseOrg(relPath, source),
});
