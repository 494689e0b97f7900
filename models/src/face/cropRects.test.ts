import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Rect } from '../tensor/sampleToTensor.js';
import { eyeCrop, poseCrop, scaledBoxCrop, squareBox } from './cropRects.js';

const inside = (r: Rect, w: number, h: number): void => {
  expect(r.width).toBeGreaterThan(0);
  expect(r.height).toBeGreaterThan(0);
  expect(r.x).toBeGreaterThanOrEqual(0);
  expect(r.y).toBeGreaterThanOrEqual(0);
  expect(r.x + r.width).toBeLessThanOrEqual(w);
  expect(r.y + r.height).toBeLessThanOrEqual(h);
};

const coord = fc.double({ min: -5000, max: 5000, noNaN: true });

describe('crop rectangles', () => {
  it('stay inside the frame with a positive size for any box, even one outside the frame (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 2000 }), fc.integer({ min: 2, max: 2000 }), coord, coord, fc.double({ min: 0.5, max: 3000, noNaN: true }), fc.double({ min: 0.5, max: 3000, noNaN: true }), (w, h, x, y, bw, bh) => {
        const box = { x1: x, y1: y, x2: x + bw, y2: y + bh };
        inside(scaledBoxCrop(box, w, h, 1), w, h);
        inside(scaledBoxCrop(box, w, h, 2.7), w, h);
        inside(scaledBoxCrop(squareBox(box), w, h, 1), w, h);
        inside(poseCrop(box, w, h), w, h);
        const landmarks = Array.from({ length: 68 }, (_, i) => ({ x: x + ((i * 7) % 13) * (bw / 13), y: y + ((i * 5) % 11) * (bh / 11) }));
        inside(eyeCrop(landmarks, 0, w, h), w, h);
        inside(eyeCrop(landmarks, 1, w, h), w, h);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the reference geometry for a box well inside the frame', () => {
    expect(scaledBoxCrop({ x1: 100, y1: 100, x2: 200, y2: 220 }, 640, 480, 1)).toEqual({ x: 100, y: 100, width: 100, height: 120 });
    expect(squareBox({ x1: 100, y1: 100, x2: 200, y2: 220 })).toEqual({ x1: 90, y1: 100, x2: 210, y2: 220 });
    expect(poseCrop({ x1: 100, y1: 100, x2: 200, y2: 220 }, 640, 480)).toEqual({ x: 75, y: 70, width: 150, height: 180 });
  });
});
