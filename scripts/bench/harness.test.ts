import { describe, expect, it } from 'vitest';
import { meetsTarget } from './harness.js';

describe('meetsTarget (the PASS / FAIL of every benchmark row)', () => {
  const target = (t: object) => ({ description: 'test', ...t });

  it('has no verdict for a metric without a target', () => {
    expect(meetsTarget({ value: 1 })).toBeUndefined();
  });

  it('checks absolute bounds, inclusive', () => {
    expect(meetsTarget({ value: 15, target: target({ max: 15 }) })).toBe(true);
    expect(meetsTarget({ value: 15.01, target: target({ max: 15 }) })).toBe(false);
    expect(meetsTarget({ value: 20_000, target: target({ min: 20_000 }) })).toBe(true);
    expect(meetsTarget({ value: 19_999, target: target({ min: 20_000 }) })).toBe(false);
    expect(meetsTarget({ value: 5, target: target({ min: 1, max: 4 }) })).toBe(false);
  });

  it('checks a ratio to the baseline measured in the same run', () => {
    expect(meetsTarget({ value: 2, baseline: 1, target: target({ maxRatio: 2 }) })).toBe(true);
    expect(meetsTarget({ value: 2.01, baseline: 1, target: target({ maxRatio: 2 }) })).toBe(false);
  });

  it('cannot judge a ratio without its baseline (the run prints that as FAIL)', () => {
    expect(meetsTarget({ value: 1, target: target({ maxRatio: 2 }) })).toBeUndefined();
  });

  it('never passes a value that is not a finite number', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY])
      expect(meetsTarget({ value, target: target({ min: 0 }) })).toBe(false);
  });
});
