/** Lowercased word tokens (runs of letters and digits). */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Lowercase with whitespace runs collapsed: the form exact title and phrase matches compare. */
export function normalizeText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}
