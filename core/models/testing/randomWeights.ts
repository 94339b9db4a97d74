/** `count` values uniform in [-scale, scale). */
export function randomWeights(random: () => number, count: number, scale: number): Float32Array {
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = (random() * 2 - 1) * scale;
  return values;
}
