import { fitHomography, homographyRms, type Point2 } from './fitHomography.js';

/**
 * Landmarks (iBUG 68) used by the planar-attack check: all of them. The jaw line matters most: on
 * a turning head it follows the silhouette (far from any plane through the inner face), on a
 * tilted print it moves with the same homography as everything else. (A first corpus without the
 * jaw line rejected a third of simulated live turns as planar.)
 */
export const PLANAR_CHECK_LANDMARKS: readonly number[] = Array.from({ length: 68 }, (_, i) => i);

/**
 * The planar-attack measure: fit one homography from the frontal reference landmarks to the
 * current ones and return the RMS residual divided by the reference inter-ocular distance.
 * A flat photo tilted before the camera moves its landmarks by one homography (residual ≈ 0.01–
 * 0.04); a real head turning 20°+ does not (≥ 0.05, MODELS.md). `undefined` when the fit is
 * degenerate.
 */
export function planarResidual(
  reference: readonly Point2[],
  current: readonly Point2[],
): number | undefined {
  if (reference.length !== 68 || current.length !== 68)
    throw new RangeError('planarResidual needs 68 landmarks on both sides');
  const from = PLANAR_CHECK_LANDMARKS.map((i) => reference[i]!);
  const to = PLANAR_CHECK_LANDMARKS.map((i) => current[i]!);
  const h = fitHomography(from, to);
  if (h === undefined) return undefined;
  const eye = (pts: readonly Point2[], a: number, b: number): Point2 => {
    let x = 0;
    let y = 0;
    for (let i = a; i <= b; i++) {
      x += pts[i]![0];
      y += pts[i]![1];
    }
    return [x / (b - a + 1), y / (b - a + 1)];
  };
  const r = eye(reference, 36, 41);
  const l = eye(reference, 42, 47);
  const iod = Math.hypot(l[0] - r[0], l[1] - r[1]);
  if (!(iod > 1)) return undefined;
  const residual = homographyRms(h, from, to) / iod;
  return Number.isFinite(residual) ? residual : undefined;
}
