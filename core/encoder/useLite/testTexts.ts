/** Texts shared by the encoder's parity tests: short, long (over 128 tokens), unicode, empty. */
export const PARITY_TEXTS: readonly string[] = [
  'Hello world.',
  'The mitochondria is the powerhouse of the cell; it produces ATP through oxidative phosphorylation.',
  '',
  'Déjà vu: ça marche? 東京タワー and emoji 😹😹 — “quotes” & ﬁ ligatures ①',
  Array.from({ length: 60 }, (_, i) => `sentence ${i} talks about notes, search and vectors.`).join(' '),
  'a',
];

/** Cosine of two vectors. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] ?? 0) * (b[i] ?? 0);
    na += (a[i] ?? 0) ** 2;
    nb += (b[i] ?? 0) ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

/** Largest absolute element-wise difference. */
export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let worst = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return worst;
}
