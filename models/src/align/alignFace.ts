import type { Point } from '../face/Face.js';
import type { InverseAffine } from '../tensor/sampleToTensor.js';

/**
 * The ArcFace 112×112 five-point template (left eye, right eye, nose tip, left and right mouth
 * corner, image coordinates). Source: insightface, python-package/insightface/utils/face_align.py
 * (`arcface_dst`).
 */
export const ARCFACE_TEMPLATE_112: readonly Point[] = [
  { x: 38.2946, y: 51.6963 },
  { x: 73.5318, y: 51.5014 },
  { x: 56.0252, y: 71.7366 },
  { x: 41.5493, y: 92.3655 },
  { x: 70.7299, y: 92.2041 },
];

const mean = (points: readonly Point[], indices: readonly number[]): Point => {
  let x = 0;
  let y = 0;
  for (const i of indices) {
    const p = points[i] as Point;
    x += p.x;
    y += p.y;
  }
  return { x: x / indices.length, y: y / indices.length };
};

/**
 * The five alignment points from the iBUG 68: eye centres = mean of the eyelid points 37, 38,
 * 40, 41 and 43, 44, 46, 47; nose tip = 30; mouth corners = mean of 48 and 60, of 54 and 64.
 */
export function fivePointsFrom68(landmarks: readonly Point[]): Point[] {
  if (landmarks.length < 68)
    throw new RangeError(`fivePointsFrom68: ${landmarks.length} landmarks, expected 68`);
  return [
    mean(landmarks, [37, 38, 40, 41]),
    mean(landmarks, [43, 44, 46, 47]),
    landmarks[30] as Point,
    mean(landmarks, [48, 60]),
    mean(landmarks, [54, 64]),
  ];
}

/** A non-reflective similarity x' = a·x − b·y + tx, y' = b·x + a·y + ty. */
export interface Similarity {
  readonly a: number;
  readonly b: number;
  readonly tx: number;
  readonly ty: number;
}

/**
 * Least-squares similarity transform from `src` to `dst` (Umeyama 1991 without reflection —
 * what skimage's `SimilarityTransform.estimate` returns for insightface's `norm_crop`).
 */
export function estimateSimilarity(src: readonly Point[], dst: readonly Point[]): Similarity {
  if (src.length !== dst.length || src.length < 2)
    throw new RangeError('estimateSimilarity: need ≥ 2 point pairs of equal count');
  const ms = mean(
    src,
    src.map((_, i) => i),
  );
  const md = mean(
    dst,
    dst.map((_, i) => i),
  );
  let num1 = 0;
  let num2 = 0;
  let den = 0;
  for (let i = 0; i < src.length; i++) {
    const px = (src[i] as Point).x - ms.x;
    const py = (src[i] as Point).y - ms.y;
    const qx = (dst[i] as Point).x - md.x;
    const qy = (dst[i] as Point).y - md.y;
    num1 += px * qx + py * qy;
    num2 += px * qy - py * qx;
    den += px * px + py * py;
  }
  if (den === 0) throw new RangeError('estimateSimilarity: source points coincide');
  const a = num1 / den;
  const b = num2 / den;
  return { a, b, tx: md.x - (a * ms.x - b * ms.y), ty: md.y - (b * ms.x + a * ms.y) };
}

/** The inverse mapping (output pixel → source pixel) of a similarity, for resampling. */
export function inverseOf(t: Similarity): InverseAffine {
  const k = t.a * t.a + t.b * t.b;
  if (k === 0) throw new RangeError('inverseOf: degenerate similarity');
  const ia = t.a / k;
  const ib = t.b / k;
  // x = ia·(x' − tx) + ib·(y' − ty); y = −ib·(x' − tx) + ia·(y' − ty)
  return { a: ia, b: ib, c: -ia * t.tx - ib * t.ty, d: -ib, e: ia, f: ib * t.tx - ia * t.ty };
}
