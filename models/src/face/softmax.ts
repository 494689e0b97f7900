/** Numerically stable softmax of `logits[start, start + length)`. */
export function softmax(
  logits: ArrayLike<number>,
  start = 0,
  length = logits.length - start,
): number[] {
  let max = -Infinity;
  for (let i = 0; i < length; i++) max = Math.max(max, logits[start + i] as number);
  const out = new Array<number>(length);
  let sum = 0;
  for (let i = 0; i < length; i++) {
    const e = Math.exp((logits[start + i] as number) - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < length; i++) out[i] = (out[i] as number) / sum;
  return out;
}
