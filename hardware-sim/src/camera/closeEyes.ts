import { cloneRgbImage, sampleBilinear, type RgbImage } from './RgbImage.js';
import { LEFT_EYE_68, meanPoint, RIGHT_EYE_68, type Point2 } from './Point2.js';

/**
 * Paint closed (`closure` 1) or half-closed (0.5) eyelids over both eyes of a frontal photo,
 * the recipe MODELS.md measured: lid texture copied from the skin below the eye over an ellipse
 * of 1.24 × 0.64 eye widths, and a solid dark lash arc (sagging 0.1, 0.07 eye widths thick,
 * thinner at the corners). fr_eye reads the closed render as closed (≈ 95 % of eyes) and the
 * half-closed one as open, which suits an open → half → closed → half → open blink.
 */
export function closeEyes(
  photo: RgbImage,
  landmarks: readonly Point2[],
  closure: number,
): RgbImage {
  if (!(closure >= 0 && closure <= 1))
    throw new RangeError(`closure must be within 0..1, got ${closure}`);
  const out = cloneRgbImage(photo);
  if (closure === 0) return out;
  for (const [eye, outer, inner] of [
    [RIGHT_EYE_68, 36, 39],
    [LEFT_EYE_68, 45, 42],
  ] as const) {
    paintLid(photo, out, landmarks, eye, landmarks[outer]!, landmarks[inner]!, closure);
  }
  return out;
}

function paintLid(
  photo: RgbImage,
  out: RgbImage,
  landmarks: readonly Point2[],
  eye: readonly number[],
  cornerA: Point2,
  cornerB: Point2,
  closure: number,
): void {
  const centre = meanPoint(landmarks, eye);
  const w = Math.hypot(cornerB[0] - cornerA[0], cornerB[1] - cornerA[1]);
  if (!(w > 1)) return;
  // Eye axis (ux, uy) along the eye, (vx, vy) pointing down the face.
  let ux = (cornerB[0] - cornerA[0]) / w;
  let uy = (cornerB[1] - cornerA[1]) / w;
  if (ux < 0) {
    ux = -ux;
    uy = -uy;
  }
  const vx = -uy;
  const vy = ux;
  const ra = 0.62 * w;
  const rb = 0.32 * w;
  // A half-closed lid covers the upper part only: the lid's lower edge sits at `edge` along v.
  const edge = closure >= 1 ? rb : -rb + 2 * rb * closure * 0.55;
  const lashAt = closure >= 1 ? 0.1 * w : edge;
  const shift = 0.72 * w;
  const { width, height } = out;
  const r = Math.ceil(Math.max(ra, rb) + 0.1 * w + 2);
  const x0 = Math.max(0, Math.floor(centre[0] - r));
  const x1 = Math.min(width - 1, Math.ceil(centre[0] + r));
  const y0 = Math.max(0, Math.floor(centre[1] - r));
  const y1 = Math.min(height - 1, Math.ceil(centre[1] + r));
  const lashColour = [28, 22, 22] as const;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const dx = x - centre[0];
      const dy = y - centre[1];
      const u = dx * ux + dy * uy;
      const v = dx * vx + dy * vy;
      const e = (u / ra) ** 2 + (v / rb) ** 2;
      const o = (y * width + x) * 3;
      let alpha = e >= 1 ? 0 : e > 0.75 ? (1 - e) / 0.25 : 1;
      if (v > edge) alpha *= Math.max(0, 1 - (v - edge) / 2);
      if (alpha > 0) {
        for (let c = 0; c < 3; c++) {
          const lid = sampleBilinear(photo, x + vx * shift, y + vy * shift, c) * 0.96;
          out.data[o + c] = out.data[o + c]! * (1 - alpha) + lid * alpha;
        }
      }
      // Lash arc: sags towards the middle, thinner at the corners.
      const t = u / (0.5 * w);
      if (Math.abs(t) <= 1.05) {
        const sag = lashAt * (1 - t * t) + (closure >= 1 ? 0 : 0);
        const thick = 0.07 * w * (0.35 + 0.65 * Math.max(0, 1 - t * t));
        const dist = Math.abs(v - sag);
        const a = dist < thick / 2 ? 1 : dist < thick / 2 + 1 ? thick / 2 + 1 - dist : 0;
        if (a > 0) {
          for (let c = 0; c < 3; c++)
            out.data[o + c] = out.data[o + c]! * (1 - a) + lashColour[c]! * a;
        }
      }
    }
  }
}
