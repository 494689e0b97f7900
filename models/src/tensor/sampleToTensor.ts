import type { ChannelOrder } from '../manifest/ModelManifest.js';
import type { RgbFrame } from '../face/Face.js';

/**
 * Inverse mapping from output pixel (dx, dy) to source position:
 * sx = a·dx + b·dy + c, sy = d·dx + e·dy + f (pixel centres at integer coordinates).
 */
export interface InverseAffine {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  readonly e: number;
  readonly f: number;
}

/** An integer rectangle of the frame. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** How a sample outside the source is treated. */
export type Border =
  /** Replicate the rectangle's edge pixels (what `cv.resize` does on a ROI). */
  | { readonly kind: 'clamp'; readonly rect: Rect }
  /** Zero outside the frame (what `cv.warpAffine` does with BORDER_CONSTANT). */
  | { readonly kind: 'constant' };

/** Normalisation: value = (pixel / scale − mean[c]) / std[c]. */
export interface Normalisation {
  readonly scale: number;
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** The inverse mapping of `cv.resize(roi, (outW, outH), INTER_LINEAR)`: half-pixel centres. */
export function resizeMapping(rect: Rect, outWidth: number, outHeight: number): InverseAffine {
  const sx = rect.width / outWidth;
  const sy = rect.height / outHeight;
  return { a: sx, b: 0, c: rect.x + 0.5 * sx - 0.5, d: 0, e: sy, f: rect.y + 0.5 * sy - 0.5 };
}

const GRAY_R = 0.299;
const GRAY_G = 0.587;
const GRAY_B = 0.114;

/**
 * Resample a frame region bilinearly straight into a planar (NCHW) float tensor with the
 * model's channel order and normalisation — one pass, no intermediate image. With
 * {@link resizeMapping} and a clamp border it reproduces `cv.resize(…, INTER_LINEAR)` on a ROI;
 * with a similarity mapping and a constant border, `cv.warpAffine` (to float precision: the
 * reference rounds to 8 bits between resize and normalisation, this does not).
 */
export function sampleToTensor(
  frame: RgbFrame,
  map: InverseAffine,
  outWidth: number,
  outHeight: number,
  order: ChannelOrder,
  norm: Normalisation,
  border: Border,
  out: Float32Array = new Float32Array((order === 'gray' ? 1 : 3) * outWidth * outHeight),
): Float32Array {
  const { data, width, height } = frame;
  const plane = outWidth * outHeight;
  let minX = 0;
  let minY = 0;
  let maxX = width - 1;
  let maxY = height - 1;
  const clamp = border.kind === 'clamp';
  if (border.kind === 'clamp') {
    minX = Math.max(0, border.rect.x);
    minY = Math.max(0, border.rect.y);
    maxX = Math.min(width - 1, border.rect.x + border.rect.width - 1);
    maxY = Math.min(height - 1, border.rect.y + border.rect.height - 1);
  }
  const s = norm.scale;
  const m0 = norm.mean[0] ?? 0;
  const m1 = norm.mean[1] ?? m0;
  const m2 = norm.mean[2] ?? m0;
  const k0 = 1 / (s * (norm.std[0] ?? 1));
  const k1 = 1 / (s * (norm.std[1] ?? norm.std[0] ?? 1));
  const k2 = 1 / (s * (norm.std[2] ?? norm.std[0] ?? 1));
  const o0 = m0 / (norm.std[0] ?? 1);
  const o1 = m1 / (norm.std[1] ?? norm.std[0] ?? 1);
  const o2 = m2 / (norm.std[2] ?? norm.std[0] ?? 1);
  const gray = order === 'gray';
  const bgr = order === 'bgr';
  const stride = width * 3;
  if (clamp && map.b === 0 && map.d === 0) {
    // Axis-aligned resize (every crop): the taps and weights are separable, so compute them once
    // per column and per row instead of once per pixel. Same arithmetic as the general path.
    const xo0 = new Int32Array(outWidth);
    const xo1 = new Int32Array(outWidth);
    const xf = new Float64Array(outWidth);
    for (let dx = 0; dx < outWidth; dx++) {
      let sx = map.a * dx + map.c;
      if (sx < minX) sx = minX;
      else if (sx > maxX) sx = maxX;
      const x0 = Math.floor(sx);
      xo0[dx] = x0 * 3;
      xo1[dx] = (x0 + 1 > maxX ? maxX : x0 + 1) * 3;
      xf[dx] = sx - x0;
    }
    let i = 0;
    for (let dy = 0; dy < outHeight; dy++) {
      let sy = map.e * dy + map.f;
      if (sy < minY) sy = minY;
      else if (sy > maxY) sy = maxY;
      const y0 = Math.floor(sy);
      const fy = sy - y0;
      const r0 = y0 * stride;
      const r1 = (y0 + 1 > maxY ? maxY : y0 + 1) * stride;
      for (let dx = 0; dx < outWidth; dx++, i++) {
        const fx = xf[dx] as number;
        const a0 = xo0[dx] as number;
        const a1 = xo1[dx] as number;
        const w00 = (1 - fx) * (1 - fy);
        const w01 = fx * (1 - fy);
        const w10 = (1 - fx) * fy;
        const w11 = fx * fy;
        const p00 = r0 + a0;
        const p01 = r0 + a1;
        const p10 = r1 + a0;
        const p11 = r1 + a1;
        const r =
          (data[p00] as number) * w00 +
          (data[p01] as number) * w01 +
          (data[p10] as number) * w10 +
          (data[p11] as number) * w11;
        const g =
          (data[p00 + 1] as number) * w00 +
          (data[p01 + 1] as number) * w01 +
          (data[p10 + 1] as number) * w10 +
          (data[p11 + 1] as number) * w11;
        const b =
          (data[p00 + 2] as number) * w00 +
          (data[p01 + 2] as number) * w01 +
          (data[p10 + 2] as number) * w10 +
          (data[p11 + 2] as number) * w11;
        if (gray) out[i] = (GRAY_R * r + GRAY_G * g + GRAY_B * b) * k0 - o0;
        else if (bgr) {
          out[i] = b * k0 - o0;
          out[plane + i] = g * k1 - o1;
          out[2 * plane + i] = r * k2 - o2;
        } else {
          out[i] = r * k0 - o0;
          out[plane + i] = g * k1 - o1;
          out[2 * plane + i] = b * k2 - o2;
        }
      }
    }
    return out;
  }
  let i = 0;
  for (let dy = 0; dy < outHeight; dy++) {
    for (let dx = 0; dx < outWidth; dx++, i++) {
      let sx = map.a * dx + map.b * dy + map.c;
      let sy = map.d * dx + map.e * dy + map.f;
      let r: number;
      let g: number;
      let b: number;
      if (clamp) {
        if (sx < minX) sx = minX;
        else if (sx > maxX) sx = maxX;
        if (sy < minY) sy = minY;
        else if (sy > maxY) sy = maxY;
      }
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      if (clamp || (x0 >= 0 && y0 >= 0 && x0 + 1 < width && y0 + 1 < height)) {
        const x1 = x0 + 1 > maxX ? maxX : x0 + 1;
        const y1 = y0 + 1 > maxY ? maxY : y0 + 1;
        const p00 = y0 * stride + x0 * 3;
        const p01 = y0 * stride + x1 * 3;
        const p10 = y1 * stride + x0 * 3;
        const p11 = y1 * stride + x1 * 3;
        const w00 = (1 - fx) * (1 - fy);
        const w01 = fx * (1 - fy);
        const w10 = (1 - fx) * fy;
        const w11 = fx * fy;
        r =
          (data[p00] as number) * w00 +
          (data[p01] as number) * w01 +
          (data[p10] as number) * w10 +
          (data[p11] as number) * w11;
        g =
          (data[p00 + 1] as number) * w00 +
          (data[p01 + 1] as number) * w01 +
          (data[p10 + 1] as number) * w10 +
          (data[p11 + 1] as number) * w11;
        b =
          (data[p00 + 2] as number) * w00 +
          (data[p01 + 2] as number) * w01 +
          (data[p10 + 2] as number) * w10 +
          (data[p11 + 2] as number) * w11;
      } else {
        // Constant border: each of the four taps outside the frame contributes 0.
        r = 0;
        g = 0;
        b = 0;
        for (let t = 0; t < 4; t++) {
          const tx = x0 + (t & 1);
          const ty = y0 + (t >> 1);
          if (tx < 0 || ty < 0 || tx >= width || ty >= height) continue;
          const w = ((t & 1) === 1 ? fx : 1 - fx) * (t >> 1 === 1 ? fy : 1 - fy);
          const p = ty * stride + tx * 3;
          r += (data[p] as number) * w;
          g += (data[p + 1] as number) * w;
          b += (data[p + 2] as number) * w;
        }
      }
      if (gray) {
        out[i] = (GRAY_R * r + GRAY_G * g + GRAY_B * b) * k0 - o0;
      } else if (bgr) {
        out[i] = b * k0 - o0;
        out[plane + i] = g * k1 - o1;
        out[2 * plane + i] = r * k2 - o2;
      } else {
        out[i] = r * k0 - o0;
        out[plane + i] = g * k1 - o1;
        out[2 * plane + i] = b * k2 - o2;
      }
    }
  }
  return out;
}
