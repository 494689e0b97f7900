import type { Point, RgbFrame } from '../face/Face.js';

/**
 * Render closed eyes on a copy of a frame, after the recipe measured in shared/MODELS.md: lid
 * texture copied from below the eye over an ellipse of 1.24 × 0.64 eye widths, plus a solid
 * dark lash arc (sagging 0.1, 0.07 eye widths thick, thinner at the corners).
 */
export function closeEyes(frame: RgbFrame, landmarks: readonly Point[]): RgbFrame {
  const data = new Uint8Array(frame.data);
  const { width, height } = frame;
  const get = (x: number, y: number, c: number): number => {
    const xi = Math.min(width - 1, Math.max(0, Math.round(x)));
    const yi = Math.min(height - 1, Math.max(0, Math.round(y)));
    return frame.data[(yi * width + xi) * 3 + c] as number;
  };
  for (const base of [36, 42]) {
    const a = landmarks[base] as Point;
    const b = landmarks[base + 3] as Point;
    const ew = Math.hypot(b.x - a.x, b.y - a.y);
    let cx = 0;
    let cy = 0;
    for (let i = 0; i < 6; i++) {
      cx += (landmarks[base + i] as Point).x / 6;
      cy += (landmarks[base + i] as Point).y / 6;
    }
    const rx = (1.24 * ew) / 2;
    const ry = (0.64 * ew) / 2;
    const shift = 0.7 * ew;
    for (let y = Math.floor(cy - ry); y <= Math.ceil(cy + ry); y++) {
      for (let x = Math.floor(cx - rx); x <= Math.ceil(cx + rx); x++) {
        if (x < 0 || y < 0 || x >= width || y >= height) continue;
        const d = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2;
        if (d > 1) continue;
        const o = (y * width + x) * 3;
        for (let c = 0; c < 3; c++) data[o + c] = get(x, y + shift, c);
      }
    }
    // Lash arc from corner to corner, sagging 0.1 eye widths.
    const steps = Math.ceil(ew * 2);
    for (let s = 0; s <= steps; s++) {
      const t = s / steps;
      const px = a.x + (b.x - a.x) * t;
      const py = a.y + (b.y - a.y) * t + 0.1 * ew * 4 * t * (1 - t);
      const half = (0.07 * ew * (0.4 + 0.6 * Math.sin(Math.PI * t))) / 2;
      for (let y = Math.floor(py - half); y <= Math.ceil(py + half); y++) {
        const x = Math.round(px);
        if (x < 0 || y < 0 || x >= width || y >= height) continue;
        const o = (y * width + x) * 3;
        data[o] = 25;
        data[o + 1] = 18;
        data[o + 2] = 15;
      }
    }
  }
  return { width, height, data };
}
