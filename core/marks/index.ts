export { NoteMarks } from './noteMarks.ts';
export type { MarkKind, NoteMark, SearchMarks } from './noteMarks.ts';
