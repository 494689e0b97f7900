import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Rect } from '../tensor/sampleToTensor.js';
import { ANTI_SPOOF_BOX_SCALE } from '../tasks/AntiSpoofModel.js';
import type { Point } from './Face.js';
import {
  EYE_CROP_SCALE,
  POSE_CROP_MARGIN,
  eyeCrop,
  poseCrop,
  scaledBoxCrop,
  squareBox,
} from './cropRects.js';

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
      fc.property(
        fc.integer({ min: 2, max: 2000 }),
        fc.integer({ min: 2, max: 2000 }),
        coord,
        coord,
        fc.double({ min: 0.5, max: 3000, noNaN: true }),
        fc.double({ min: 0.5, max: 3000, noNaN: true }),
        (w, h, x, y, bw, bh) => {
          const box = { x1: x, y1: y, x2: x + bw, y2: y + bh };
          inside(scaledBoxCrop(box, w, h, 1), w, h);
          inside(scaledBoxCrop(box, w, h, 2.7), w, h);
          inside(scaledBoxCrop(squareBox(box), w, h, 1), w, h);
          inside(poseCrop(box, w, h), w, h);
          const landmarks = Array.from({ length: 68 }, (_, i) => ({
            x: x + ((i * 7) % 13) * (bw / 13),
            y: y + ((i * 5) % 11) * (bh / 11),
          }));
          inside(eyeCrop(landmarks, 0, w, h), w, h);
          inside(eyeCrop(landmarks, 1, w, h), w, h);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps the reference geometry for a box well inside the frame', () => {
    expect(scaledBoxCrop({ x1: 100, y1: 100, x2: 200, y2: 220 }, 640, 480, 1)).toEqual({
      x: 100,
      y: 100,
      width: 100,
      height: 120,
    });
    expect(squareBox({ x1: 100, y1: 100, x2: 200, y2: 220 })).toEqual({
      x1: 90,
      y1: 100,
      x2: 210,
      y2: 220,
    });
    expect(poseCrop({ x1: 100, y1: 100, x2: 200, y2: 220 }, 640, 480)).toEqual({
      x: 75,
      y: 70,
      width: 150,
      height: 180,
    });
  });

  it('eye crop: a square of side 1.6 × the corner distance, centred on the mean of the four eyelid points', () => {
    expect(EYE_CROP_SCALE).toBe(1.6);
    const lm: Point[] = Array.from({ length: 68 }, () => ({ x: 0, y: 0 }));
    // Image-left eye (36–41): corners 36 and 39 are 50 px apart; lids 37, 38, 40, 41 average (125, 198).
    lm[36] = { x: 100, y: 200 };
    lm[37] = { x: 115, y: 190 };
    lm[38] = { x: 135, y: 190 };
    lm[39] = { x: 150, y: 200 };
    lm[40] = { x: 135, y: 206 };
    lm[41] = { x: 115, y: 206 };
    // Image-right eye (42–47): corners 60 px apart; lids average (330, 201).
    lm[42] = { x: 300, y: 205 };
    lm[43] = { x: 320, y: 195 };
    lm[44] = { x: 340, y: 195 };
    lm[45] = { x: 360, y: 205 };
    lm[46] = { x: 340, y: 207 };
    lm[47] = { x: 320, y: 207 };
    const left = eyeCrop(lm, 0, 640, 480);
    expect(left).toEqual({ x: 125 - 40, y: 198 - 40, width: 80, height: 80 });
    expect(left.width / 50).toBe(1.6);
    const right = eyeCrop(lm, 1, 640, 480);
    expect(right).toEqual({ x: 330 - 48, y: 201 - 48, width: 96, height: 96 });
    expect(right.width / 60).toBe(1.6);
  });

  it('anti-spoof crop: the box scaled 2.7× about its centre, shifted (not shrunk) to stay in the frame', () => {
    expect(ANTI_SPOOF_BOX_SCALE).toBe(2.7);
    const box = { x1: 200, y1: 150, x2: 300, y2: 270 }; // 100 × 120, centre (250, 210)
    const r = scaledBoxCrop(box, 640, 480, ANTI_SPOOF_BOX_SCALE);
    expect(r).toEqual({ x: 250 - 135, y: 210 - 162, width: 270, height: 324 });
    expect(r.width / 100).toBeCloseTo(2.7, 12);
    expect(r.height / 120).toBeCloseTo(2.7, 12);
    // Near the top-left corner: same size, moved inside.
    expect(
      scaledBoxCrop({ x1: 10, y1: 20, x2: 110, y2: 140 }, 640, 480, ANTI_SPOOF_BOX_SCALE),
    ).toEqual({ x: 0, y: 0, width: 270, height: 324 });
    // A box too big for 2.7× in the frame: the scale drops to what fits (479 / 200 for the height).
    const big = scaledBoxCrop(
      { x1: 220, y1: 140, x2: 420, y2: 340 },
      640,
      480,
      ANTI_SPOOF_BOX_SCALE,
    );
    expect(big.height).toBe(479);
    expect(big.width).toBe(479);
  });

  it('pose crop: the box widened by a quarter of its width (height) on every side', () => {
    expect(POSE_CROP_MARGIN).toBe(0.25);
    const box = { x1: 100, y1: 100, x2: 200, y2: 220 }; // 100 × 120
    const r = poseCrop(box, 640, 480);
    expect(r.x).toBe(100 - 25);
    expect(r.x + r.width).toBe(200 + 25);
    expect(r.y).toBe(100 - 30);
    expect(r.y + r.height).toBe(220 + 30);
    expect(r.width / 100).toBe(1.5);
    expect(r.height / 120).toBe(1.5);
    // At the frame's edge the widening is clipped, not shifted.
    expect(poseCrop({ x1: 10, y1: 10, x2: 110, y2: 130 }, 640, 480)).toEqual({
      x: 0,
      y: 0,
      width: 135,
      height: 160,
    });
  });
});
