import { describe, expect, it } from 'vitest';
import { iou } from './Detector.js';
import { HOPENET_BINS, binsToDegrees } from './PoseModel.js';

describe('iou', () => {
  it('is 1 for equal boxes, 0 for disjoint ones, and the ratio in between', () => {
    const a = { x1: 0, y1: 0, x2: 10, y2: 10 };
    expect(iou(a, a)).toBe(1);
    expect(iou(a, { x1: 20, y1: 20, x2: 30, y2: 30 })).toBe(0);
    expect(iou(a, { x1: 5, y1: 0, x2: 15, y2: 10 })).toBeCloseTo(50 / 150);
  });
});

describe('binsToDegrees (HopeNet soft-argmax)', () => {
  it('maps a one-hot bin i to i·3 − 99 degrees', () => {
    for (const i of [0, 33, 65]) {
      const logits = new Float32Array(HOPENET_BINS.count).fill(-100);
      logits[i] = 100;
      expect(binsToDegrees(logits)).toBeCloseTo(i * 3 - 99, 6);
    }
  });
  it('gives the mean of two equally likely bins', () => {
    const logits = new Float32Array(HOPENET_BINS.count).fill(-100);
    logits[30] = 5;
    logits[36] = 5;
    expect(binsToDegrees(logits)).toBeCloseTo(33 * 3 - 99, 6);
  });
});
