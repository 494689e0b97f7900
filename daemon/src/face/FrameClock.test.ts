import { describe, expect, it } from 'vitest';
import { FrameClock } from './FrameClock.js';

describe('FrameClock', () => {
  it('fires timers in order when frame time passes them, never early', () => {
    const clock = new FrameClock(1000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b'), 300);
    clock.setTimeout(() => fired.push('a'), 100);
    const cancelled = clock.setTimeout(() => fired.push('x'), 200);
    clock.clearTimeout(cancelled);
    clock.advanceTo(1099);
    expect(fired).toEqual([]);
    clock.advanceTo(1500);
    expect(fired).toEqual(['a', 'b']);
    clock.advanceTo(1200);
    expect(clock.now).toBe(1500);
  });

  it('runs timers scheduled by a firing timer when they are due', () => {
    const clock = new FrameClock();
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now);
      clock.setTimeout(() => fired.push(clock.now), 50);
    }, 100);
    clock.advanceTo(200);
    expect(fired).toEqual([100, 150]);
  });
});
