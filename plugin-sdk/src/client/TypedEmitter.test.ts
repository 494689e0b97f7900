import { describe, expect, it, vi } from 'vitest';
import { TypedEmitter } from './TypedEmitter.js';

class Probe extends TypedEmitter<{ tick: (n: number) => void; done: () => void }> {
  fire(n: number): void {
    this.emit('tick', n);
  }
}

describe('TypedEmitter', () => {
  it('on returns its unsubscribe; once runs once', () => {
    const p = new Probe();
    const seen: number[] = [];
    const off = p.on('tick', (n) => seen.push(n));
    p.once('tick', (n) => seen.push(n * 100));
    p.fire(1);
    p.fire(2);
    off();
    p.fire(3);
    expect(seen).toEqual([1, 100, 2]);
    expect(p.listenerCount('tick')).toBe(0);
  });

  it('a throwing listener does not stop the others; its error surfaces asynchronously', async () => {
    const p = new Probe();
    const seen: number[] = [];
    const boom = new Error('listener bug');
    const spy = vi.fn();
    const original = globalThis.queueMicrotask;
    globalThis.queueMicrotask = (cb) =>
      original(() => {
        try {
          cb();
        } catch (err) {
          spy(err);
        }
      });
    try {
      p.on('tick', () => {
        throw boom;
      });
      p.on('tick', (n) => seen.push(n));
      p.fire(7);
      await new Promise((r) => setTimeout(r, 0));
    } finally {
      globalThis.queueMicrotask = original;
    }
    expect(seen).toEqual([7]);
    expect(spy).toHaveBeenCalledWith(boom);
  });

  it('refuses a non-function listener', () => {
    expect(() => new Probe().on('tick', 42 as unknown as () => void)).toThrow(TypeError);
  });
});
