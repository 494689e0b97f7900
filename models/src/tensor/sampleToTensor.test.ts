import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RgbFrame } from '../face/Face.js';
import { resizeMapping, sampleToTensor } from './sampleToTensor.js';

const ident = { scale: 1, mean: [0, 0, 0], std: [1, 1, 1] };

function grayRamp(width: number, height: number, f: (x: number, y: number) => number): RgbFrame {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      data.fill(f(x, y), (y * width + x) * 3, (y * width + x) * 3 + 3);
  return { width, height, data };
}

describe('sampleToTensor', () => {
  it('halves like cv.resize INTER_LINEAR (half-pixel centres: the mean of each 2×2 block)', () => {
    const frame = grayRamp(4, 2, (x) => x * 10);
    const rect = { x: 0, y: 0, width: 4, height: 2 };
    const out = sampleToTensor(frame, resizeMapping(rect, 2, 1), 2, 1, 'rgb', ident, {
      kind: 'clamp',
      rect,
    });
    expect([...out]).toEqual([5, 25, 5, 25, 5, 25]);
  });

  it('orders planes R,G,B / B,G,R and applies (p / scale − mean) / std per plane', () => {
    const frame: RgbFrame = { width: 1, height: 1, data: new Uint8Array([10, 20, 30]) };
    const rect = { x: 0, y: 0, width: 1, height: 1 };
    const norm = { scale: 2, mean: [1, 2, 3], std: [2, 4, 8] };
    expect([
      ...sampleToTensor(frame, resizeMapping(rect, 1, 1), 1, 1, 'rgb', norm, {
        kind: 'clamp',
        rect,
      }),
    ]).toEqual([(5 - 1) / 2, (10 - 2) / 4, (15 - 3) / 8]);
    expect([
      ...sampleToTensor(frame, resizeMapping(rect, 1, 1), 1, 1, 'bgr', norm, {
        kind: 'clamp',
        rect,
      }),
    ]).toEqual([(15 - 1) / 2, (10 - 2) / 4, (5 - 3) / 8]);
    expect(
      sampleToTensor(
        frame,
        resizeMapping(rect, 1, 1),
        1,
        1,
        'gray',
        { scale: 1, mean: [0], std: [1] },
        { kind: 'clamp', rect },
      )[0],
    ).toBeCloseTo(0.299 * 10 + 0.587 * 20 + 0.114 * 30, 5);
  });

  it('gives zero outside the frame with a constant border', () => {
    const frame = grayRamp(2, 2, () => 100);
    const out = sampleToTensor(
      frame,
      { a: 1, b: 0, c: -10, d: 0, e: 1, f: -10 },
      2,
      2,
      'rgb',
      ident,
      { kind: 'constant' },
    );
    expect([...out].every((v) => v === 0)).toBe(true);
  });

  it('the separable fast path equals the general path on any crop (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 16 }),
        fc.nat(),
        fc.constantFrom('rgb' as const, 'bgr' as const, 'gray' as const),
        (width, height, outW, outH, seed, order) => {
          const frame = grayRamp(width, height, (x, y) => (x * 37 + y * 91 + seed) % 256);
          const rect = {
            x: seed % width,
            y: (seed >> 3) % height,
            width: 1 + ((seed >> 5) % width),
            height: 1 + ((seed >> 7) % height),
          };
          const map = resizeMapping(rect, outW, outH);
          const fast = sampleToTensor(frame, map, outW, outH, order, ident, {
            kind: 'clamp',
            rect,
          });
          // A negligible shear forces the general per-pixel path.
          const general = sampleToTensor(frame, { ...map, b: 1e-300 }, outW, outH, order, ident, {
            kind: 'clamp',
            rect,
          });
          expect(fast).toEqual(general);
        },
      ),
      { numRuns: 200 },
    );
  });
});
