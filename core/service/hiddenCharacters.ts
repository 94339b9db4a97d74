/**
 * Characters that reorder or hide the text around them without being seen: bidirectional controls
 * (a right-to-left override shows `invoice\u202Egpj.exe.md` as "invoicedm.exe.jpg"), directional
 * marks, zero-width space and byte-order mark. Zero-width joiners are left alone: emoji need them.
 */
const HIDDEN_CHARACTERS = /[\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/**
 * A file name, path or title as the window and the CLI show it: every hidden character above written
 * out as `\u202E`, so a name always reads in the order its characters are stored.
 */
export function showHiddenCharacters(text: string): string {
  return text.replace(
    HIDDEN_CHARACTERS,
    (char) => `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
  );
}
