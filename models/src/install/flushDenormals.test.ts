import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flushDenormals } from './flushDenormals.js';

// Minimal protobuf encoder for test models.
const varint = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
};
const field = (no: number, payload: number[]): number[] => [...varint(no * 8 + 2), ...varint(payload.length), ...payload];
const int = (no: number, v: number): number[] => [...varint(no * 8), ...varint(v)];
const floats = (values: number[]): number[] => {
  const b = new Uint8Array(values.length * 4);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => v.setUint32(i * 4, x, true));
  return [...b];
};

const DENORMAL = 0x00000123;
const NEG_DENORMAL = 0x80400000;
const ONE = 0x3f800000;

function tensor(dataType: number, bits: number[], packed = false): number[] {
  return [...int(1, bits.length), ...int(2, dataType), ...field(8, [...new TextEncoder().encode('w')]), ...field(packed ? 4 : 9, floats(bits))];
}

describe('flushDenormals', () => {
  it('zeroes subnormal floats of initializers and Constant tensors, keeping sign, length and everything else', () => {
    const model = new Uint8Array([
      ...int(1, 8), // ir_version
      ...field(7, [
        ...field(5, tensor(1, [DENORMAL, ONE, NEG_DENORMAL])),
        ...field(5, tensor(1, [DENORMAL], true)),
        ...field(5, tensor(6, [DENORMAL])), // INT32: untouched
        ...field(1, field(5, field(5, tensor(1, [ONE, DENORMAL])))), // node → attribute → t
      ]),
    ]);
    const before = new Uint8Array(model);
    expect(flushDenormals(model)).toBe(4);
    expect(model.length).toBe(before.length);
    const changed = [...model].flatMap((b, i) => (b === before[i] ? [] : [i]));
    expect(changed.length).toBeGreaterThan(0);
    // The INT32 tensor's payload is still there.
    expect(Buffer.from(model).includes(Buffer.from(floats([DENORMAL])))).toBe(true);
    // Flushing again changes nothing.
    expect(flushDenormals(model)).toBe(0);
    // The negative denormal became −0, not +0.
    expect(Buffer.from(model).includes(Buffer.from(floats([0x80000000])))).toBe(true);
  });

  it('only ever throws RangeError on random bytes (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        try {
          flushDenormals(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(RangeError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
