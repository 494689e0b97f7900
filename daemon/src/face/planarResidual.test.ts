import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyHomography, fitHomography, type Point2 } from './fitHomography.js';
import { planarResidual } from './planarResidual.js';

/** A face-like 68-point set: points spread over a 200 px box with eyes at 36–47. */
function face68(): Point2[] {
  return Array.from({ length: 68 }, (_, i) => {
    const a = (i * 2.399963) % (2 * Math.PI);
    const r = 20 + ((i * 37) % 80);
    return [320 + r * Math.cos(a), 240 + r * Math.sin(a)] as const;
  });
}

describe('fitHomography / planarResidual', () => {
  it('recovers a known homography exactly', () => {
    const h = [1.1, 0.05, -12, -0.03, 0.95, 7, 0.0004, -0.0002, 1];
    const from = face68();
    const to = from.map((p) => applyHomography(h, p));
    const fit = fitHomography(from, to)!;
    for (let i = 0; i < 9; i++) expect(fit[i]).toBeCloseTo(h[i]!, 6);
    expect(planarResidual(from, to)).toBeLessThan(1e-6);
  });

  it('a 3-D turn of points with depth leaves a residual, a plane does not', () => {
    const ref = face68();
    const depth = ref.map((_, i) => ((i * 53) % 60) - 30);
    const turn = (deg: number): Point2[] => {
      const t = (deg * Math.PI) / 180;
      return ref.map(
        (p, i) => [320 + (p[0] - 320) * Math.cos(t) + depth[i]! * Math.sin(t), p[1]] as const,
      );
    };
    const flat = ref.map((p) => [320 + (p[0] - 320) * Math.cos(0.4), p[1]] as const);
    expect(planarResidual(ref, turn(25))!).toBeGreaterThan(0.045);
    expect(planarResidual(ref, flat)!).toBeLessThan(0.001);
  });

  it('never throws on arbitrary points (fuzz) and rejects degenerate sets', () => {
    const pt = fc.tuple(
      fc.double({ min: -1e4, max: 1e4, noNaN: true }),
      fc.double({ min: -1e4, max: 1e4, noNaN: true }),
    );
    fc.assert(
      fc.property(
        fc.array(pt, { minLength: 68, maxLength: 68 }),
        fc.array(pt, { minLength: 68, maxLength: 68 }),
        (a, b) => {
          const r = planarResidual(a, b);
          expect(r === undefined || (Number.isFinite(r) && r >= 0)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
    const same: Point2[] = Array.from({ length: 68 }, () => [1, 1] as const);
    expect(planarResidual(same, same)).toBeUndefined();
    expect(() => planarResidual(same.slice(1), same)).toThrow(RangeError);
    expect(fitHomography(same.slice(0, 3), same.slice(0, 3))).toBeUndefined();
  });
});
