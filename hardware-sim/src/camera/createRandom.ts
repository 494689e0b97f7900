/** A seeded pseudo-random source: `next()` returns a float in [0, 1). */
export interface SimRandom {
  next(): number;
  /** Uniform in [min, max). */
  between(min: number, max: number): number;
  /** Approximately normal (sum of uniforms) with mean 0 and standard deviation `sd`. */
  gaussian(sd: number): number;
}

/**
 * A deterministic PRNG (mulberry32) so that a simulated session replays exactly from its seed.
 */
export function createRandom(seed: number): SimRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    between: (min, max) => min + (max - min) * next(),
    gaussian: (sd) => (next() + next() + next() + next() - 2) * sd * Math.sqrt(3),
  };
}
