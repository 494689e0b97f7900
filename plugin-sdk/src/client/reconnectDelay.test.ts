import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KYCD_CLIENT_DEFAULTS } from './KycdClient.js';
import { reconnectDelay } from './reconnectDelay.js';

const noJitter = { ...KYCD_CLIENT_DEFAULTS.reconnect, jitter: 0 };

describe('reconnectDelay', () => {
  it('grows exponentially from initialDelayMs and caps at maxDelayMs', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((a) => reconnectDelay(a, noJitter))).toEqual([
      250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
  });

  it('stays within ±jitter of the base and within [0, maxDelayMs]', () => {
    const options = KYCD_CLIENT_DEFAULTS.reconnect;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, r) => {
          const base = reconnectDelay(attempt, noJitter);
          const d = reconnectDelay(attempt, options, () => r);
          expect(d).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
          expect(d).toBeLessThanOrEqual(options.maxDelayMs);
        },
      ),
    );
  });
});
