/** A 2-D point in image pixels: `[x, y]`. */
export type Point2 = readonly [number, number];

/** Mean of the given points of `points`. */
export function meanPoint(points: readonly Point2[], indices: readonly number[]): Point2 {
  let x = 0;
  let y = 0;
  for (const i of indices) {
    const p = points[i];
    if (p === undefined) throw new RangeError(`landmark ${i} missing`);
    x += p[0];
    y += p[1];
  }
  return [x / indices.length, y / indices.length];
}

/** Landmark indices (iBUG 68) of the right eye (image left) and left eye (image right). */
export const RIGHT_EYE_68 = [36, 37, 38, 39, 40, 41] as const;
/** See {@link RIGHT_EYE_68}. */
export const LEFT_EYE_68 = [42, 43, 44, 45, 46, 47] as const;
