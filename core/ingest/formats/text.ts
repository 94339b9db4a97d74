import { NoteBuilder, normalizeSource, titleFromPath } from '../parse/noteBuilder.ts';
import { defineNoteFormat, type NoteParser } from './noteFormat.ts';
import { decodeUtf8Note } from './utf8.ts';

/** Plain text is one untitled section; its title is the file name. */
const textParser: NoteParser = {
  parse: (source, { relPath }) => {
    const builder = new NoteBuilder();
    builder.addBlock(normalizeSource(source));
    const { text, sections } = builder.build();
    return { title: titleFromPath(relPath), text, tags: [], aliases: [], links: [], sections };
  },
};

export const textFormat = defineNoteFormat({
  name: 'text',
  extensions: ['.txt'],
  decode: decodeUtf8Note,
  // Nothing to load: NoteBuilder is all it uses, and noteDate.ts imports that anyway.
  loadParser: async () => textParser,
});
