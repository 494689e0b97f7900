import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Point } from '../face/Face.js';
import {
  ARCFACE_TEMPLATE_112,
  estimateSimilarity,
  fivePointsFrom68,
  inverseOf,
} from './alignFace.js';

const apply = (t: { a: number; b: number; tx: number; ty: number }, p: Point): Point => ({
  x: t.a * p.x - t.b * p.y + t.tx,
  y: t.b * p.x + t.a * p.y + t.ty,
});

describe('estimateSimilarity', () => {
  it('recovers any exact similarity (scale, rotation, translation) and its inverse maps back', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.2, max: 5, noNaN: true }),
        fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }),
        fc.double({ min: -500, max: 500, noNaN: true }),
        fc.double({ min: -500, max: 500, noNaN: true }),
        (s, theta, tx, ty) => {
          const truth = { a: s * Math.cos(theta), b: s * Math.sin(theta), tx, ty };
          const dst = ARCFACE_TEMPLATE_112.map((p) => apply(truth, p));
          const t = estimateSimilarity(ARCFACE_TEMPLATE_112, dst);
          expect(t.a).toBeCloseTo(truth.a, 6);
          expect(t.b).toBeCloseTo(truth.b, 6);
          expect(t.tx).toBeCloseTo(tx, 4);
          expect(t.ty).toBeCloseTo(ty, 4);
          const inv = inverseOf(t);
          for (const p of ARCFACE_TEMPLATE_112) {
            const q = apply(t, p);
            expect(inv.a * q.x + inv.b * q.y + inv.c).toBeCloseTo(p.x, 5);
            expect(inv.d * q.x + inv.e * q.y + inv.f).toBeCloseTo(p.y, 5);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rejects degenerate input', () => {
    const same = [
      { x: 1, y: 1 },
      { x: 1, y: 1 },
    ];
    expect(() => estimateSimilarity(same, same)).toThrow(RangeError);
    expect(() => estimateSimilarity([{ x: 0, y: 0 }], [{ x: 0, y: 0 }])).toThrow(RangeError);
  });
});

describe('fivePointsFrom68', () => {
  it('averages eyelid points for the eyes, takes point 30 for the nose and averages the mouth corners', () => {
    const pts = Array.from({ length: 68 }, (_, i) => ({ x: i, y: 2 * i }));
    const five = fivePointsFrom68(pts);
    expect(five[0]).toEqual({ x: (37 + 38 + 40 + 41) / 4, y: (2 * (37 + 38 + 40 + 41)) / 4 });
    expect(five[1]?.x).toBe((43 + 44 + 46 + 47) / 4);
    expect(five[2]).toEqual({ x: 30, y: 60 });
    expect(five[3]?.x).toBe((48 + 60) / 2);
    expect(five[4]?.x).toBe((54 + 64) / 2);
    expect(() => fivePointsFrom68(pts.slice(0, 10))).toThrow(RangeError);
  });
});
