import { describe, expect, it } from 'vitest';
import type { Face, RgbFrame } from '../face/Face.js';
import { QUALITY_DEFAULTS, laplacianVariance, measureQuality } from './measureQuality.js';

function checkerFrame(
  width: number,
  height: number,
  level: (x: number, y: number) => number,
): RgbFrame {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      data.fill(level(x, y), (y * width + x) * 3, (y * width + x) * 3 + 3);
  return { width, height, data };
}
const face = (x1: number, y1: number, x2: number, y2: number, extra: Partial<Face> = {}): Face => ({
  box: { x1, y1, x2, y2 },
  score: 1,
  ...extra,
});

describe('measureQuality', () => {
  const sharp = checkerFrame(640, 480, (x, y) => (((x >> 2) + (y >> 2)) % 2 === 0 ? 60 : 190));
  const flat = checkerFrame(640, 480, () => 128);

  it('passes a centred, sharp, well-exposed, frontal face', () => {
    const q = measureQuality(
      sharp,
      face(220, 140, 420, 340, { pose: { yaw: 2, pitch: -3, roll: 1 } }),
    );
    expect(q.codes).toEqual([]);
    expect(q.faceSize).toBeCloseTo(200 / 640);
    expect(q.centreOffset).toBeLessThan(0.05);
  });

  it('flags a small, off-centre, cut-off face', () => {
    const q = measureQuality(sharp, face(-30, 0, 50, 80));
    expect(q.codes).toEqual(
      expect.arrayContaining(['face_too_small', 'face_off_centre', 'face_cut_off']),
    );
  });

  it('flags pose beyond its thresholds', () => {
    const q = measureQuality(
      sharp,
      face(220, 140, 420, 340, { pose: { yaw: -30, pitch: 20, roll: 16 } }),
    );
    expect(q.codes).toEqual(['yaw_out_of_range', 'pitch_out_of_range', 'roll_out_of_range']);
  });

  it('flags blur (variance of the Laplacian) and exposure', () => {
    expect(measureQuality(flat, face(220, 140, 420, 340)).codes).toEqual(['face_blurry']);
    const dark = checkerFrame(640, 480, (x, y) => (((x >> 2) + (y >> 2)) % 2 === 0 ? 5 : 80));
    expect(measureQuality(dark, face(220, 140, 420, 340)).codes).toEqual(['face_too_dark']);
    const bright = checkerFrame(640, 480, (x, y) => (((x >> 2) + (y >> 2)) % 2 === 0 ? 180 : 255));
    expect(measureQuality(bright, face(220, 140, 420, 340)).codes).toEqual(['face_too_bright']);
    expect(QUALITY_DEFAULTS.minSharpness).toBeGreaterThan(0);
  });

  it('computes the Laplacian variance of a known image', () => {
    // A single bright pixel in a 3×3 image: the interior Laplacian is −4·v, variance 0 (one sample).
    expect(laplacianVariance(new Float32Array([0, 0, 0, 0, 10, 0, 0, 0, 0]), 3, 3)).toBe(0);
    expect(
      laplacianVariance(
        new Float32Array(16).map((_, i) => (i % 2) * 100),
        4,
        4,
      ),
    ).toBeGreaterThan(0);
  });
});
