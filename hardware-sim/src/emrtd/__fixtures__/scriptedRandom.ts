import { randomBytes } from 'node:crypto';
import { hex } from '../bytes.js';

/** A randomness source that first returns the given hex values (in order, each of the asked length), then real random bytes. */
export function scriptedRandom(...values: string[]): (length: number) => Uint8Array {
  const queue = values.map((v) => hex(v));
  return (length) => {
    const next = queue[0];
    if (next && next.length === length) {
      queue.shift();
      return next;
    }
    return new Uint8Array(randomBytes(length));
  };
}
