import { randomBytes as nodeRandomBytes } from 'node:crypto';

/** Source of random bytes; tests inject the worked examples' values. */
export type RandomSource = (length: number) => Uint8Array;

/** The default CSPRNG. */
export const secureRandom: RandomSource = (length) => new Uint8Array(nodeRandomBytes(length));
