import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ensureModels } from '../__fixtures__/testImages.js';
import { DEFAULT_MANIFEST } from '../manifest/DEFAULT_MANIFEST.js';
import { flushDenormals } from './flushDenormals.js';
import { SOURCE_COPIES_DIR } from './installModels.js';
import { sha256Hex } from './verifyModelFile.js';

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
const field = (no: number, payload: number[]): number[] => [
  ...varint(no * 8 + 2),
  ...varint(payload.length),
  ...payload,
];
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
  return [
    ...int(1, bits.length),
    ...int(2, dataType),
    ...field(8, [...new TextEncoder().encode('w')]),
    ...field(packed ? 4 : 9, floats(bits)),
  ];
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

  it('flushes 8,938 values of the shipped fr_feature; the 8,939th a naive scan counts is an INT64 shape, left alone', async () => {
    const entry = DEFAULT_MANIFEST.models.find((m) => m.id === 'fr_feature');
    const shipped = new Uint8Array(
      await readFile(join(await ensureModels(), SOURCE_COPIES_DIR, 'fr_feature.onnx')),
    );
    expect(sha256Hex(shipped)).toBe(entry?.source?.sha256);
    // Every initializer's raw_data read as float32, whatever its data_type (shared/MODELS.md's 8,939).
    const initializers = graphInitializers(shipped);
    const subnormal = (t: Initializer): number => {
      let n = 0;
      const v = new DataView(t.raw.buffer, t.raw.byteOffset, t.raw.byteLength);
      for (let p = 0; p + 4 <= t.raw.length; p += 4) {
        const bits = v.getUint32(p, true);
        if ((bits & 0x7f800000) === 0 && (bits & 0x007fffff) !== 0) n++;
      }
      return n;
    };
    expect(initializers.reduce((a, t) => a + subnormal(t), 0)).toBe(8939);
    const notFloat = initializers.filter((t) => t.dataType !== 1 && subnormal(t) > 0);
    // The one non-float initializer: Reshape's target shape [1, −1] as INT64 (data_type 7); its
    // first four bytes, 01 00 00 00, read as float32 are the subnormal 0x00000001.
    expect(notFloat.map((t) => [t.dataType, Buffer.from(t.raw).toString('hex')])).toEqual([
      [7, '0100000000000000ffffffffffffffff'],
    ]);
    expect(initializers.filter((t) => t.dataType === 1).reduce((a, t) => a + subnormal(t), 0)).toBe(
      8938,
    );

    const flushed = new Uint8Array(shipped);
    expect(flushDenormals(flushed)).toBe(8938);
    expect(sha256Hex(flushed)).toBe(entry?.sha256);
    // The shape is intact (zeroing it would make Reshape's target [0, −1]); nothing is left to flush.
    const after = graphInitializers(flushed).filter((t) => t.dataType === 7);
    expect(after.map((t) => Buffer.from(t.raw).toString('hex'))).toEqual([
      '0100000000000000ffffffffffffffff',
    ]);
    expect(flushDenormals(flushed)).toBe(0);
  });
});

interface Initializer {
  dataType: number;
  raw: Uint8Array;
}

/** ModelProto.graph (7) → GraphProto.initializer (5) → { data_type (2), raw_data (9) }: a minimal reader for the test. */
function graphInitializers(model: Uint8Array): Initializer[] {
  const read = (pos: number): [number, number] => {
    let value = 0;
    let mul = 1;
    for (;;) {
      const b = model[pos++] as number;
      value += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return [value, pos];
      mul *= 128;
    }
  };
  const fields = (
    start: number,
    end: number,
  ): { no: number; wire: number; start: number; end: number; value: number }[] => {
    const out = [];
    let pos = start;
    while (pos < end) {
      const [key, p1] = read(pos);
      const no = Math.floor(key / 8);
      const wire = key & 7;
      if (wire === 0) {
        const [value, p2] = read(p1);
        out.push({ no, wire, start: p1, end: p2, value });
        pos = p2;
      } else if (wire === 2) {
        const [len, p2] = read(p1);
        out.push({ no, wire, start: p2, end: p2 + len, value: len });
        pos = p2 + len;
      } else {
        const size = wire === 1 ? 8 : 4;
        out.push({ no, wire, start: p1, end: p1 + size, value: 0 });
        pos = p1 + size;
      }
    }
    return out;
  };
  const result: Initializer[] = [];
  for (const g of fields(0, model.length)) {
    if (g.no !== 7 || g.wire !== 2) continue;
    for (const t of fields(g.start, g.end)) {
      if (t.no !== 5 || t.wire !== 2) continue;
      let dataType = 0;
      let raw: Uint8Array = new Uint8Array(0);
      for (const f of fields(t.start, t.end)) {
        if (f.no === 2 && f.wire === 0) dataType = f.value;
        if (f.no === 9 && f.wire === 2) raw = model.subarray(f.start, f.end);
      }
      result.push({ dataType, raw });
    }
  }
  return result;
}
