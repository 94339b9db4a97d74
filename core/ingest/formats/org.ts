import { defineNoteFormat } from './noteFormat.ts';
import { decodeUtf8Note } from './utf8.ts';

/** Emacs Org mode. */
export const orgFormat = defineNoteFormat({
  name: 'org',
  extensions: ['.org'],
  decode: decodeUtf8Note,
  loadParser: async () => {
    const { parseOrg } = await import('../parse/org.ts');
    return { parse: (source, { relPath }) => parseOrg(relPath, source) };
  },
});
