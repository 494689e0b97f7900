import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBmp } from './decodeBmp.js';
import { SamError } from './SamError.js';

/** A 24-bit BMP like the vendor decoders write (bottom-up rows, 4-byte padding). */
function makeBmp(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number],
  topDown = false,
): Uint8Array {
  const rowBytes = Math.ceil((width * 3) / 4) * 4;
  const buf = Buffer.alloc(54 + rowBytes * height);
  buf.write('BM', 0, 'latin1');
  buf.writeUInt32LE(buf.length, 2);
  buf.writeUInt32LE(54, 10);
  buf.writeUInt32LE(40, 14);
  buf.writeInt32LE(width, 18);
  buf.writeInt32LE(topDown ? -height : height, 22);
  buf.writeUInt16LE(1, 26);
  buf.writeUInt16LE(24, 28);
  for (let y = 0; y < height; y++) {
    const row = 54 + (topDown ? y : height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      buf[row + x * 3] = b;
      buf[row + x * 3 + 1] = g;
      buf[row + x * 3 + 2] = r;
    }
  }
  return new Uint8Array(buf);
}

describe('decodeBmp', () => {
  it('decodes a 102×126 vendor-style BMP (38,862 bytes) to RGB, top row first', () => {
    const bmp = makeBmp(102, 126, (x, y) => [x, y, 200]);
    expect(bmp.length).toBe(38_862);
    const img = decodeBmp(bmp);
    expect([img.width, img.height]).toEqual([102, 126]);
    expect([...img.data.subarray(0, 3)]).toEqual([0, 0, 200]);
    const last = (125 * 102 + 101) * 3;
    expect([...img.data.subarray(last, last + 3)]).toEqual([101, 125, 200]);
  });

  it('decodes top-down BMPs', () => {
    const img = decodeBmp(makeBmp(3, 2, (x, y) => [x, y, 9], true));
    expect([...img.data]).toEqual([0, 0, 9, 1, 0, 9, 2, 0, 9, 0, 1, 9, 1, 1, 9, 2, 1, 9]);
  });

  it('refuses truncated and non-24-bit files', () => {
    const bmp = makeBmp(4, 4, () => [1, 2, 3]);
    expect(() => decodeBmp(bmp.subarray(0, 60))).toThrow(SamError);
    const eight = bmp.slice();
    eight[28] = 8;
    expect(() => decodeBmp(eight)).toThrow(/24-bit/u);
  });

  it('fuzz: random headers never read out of bounds', () => {
    const base = makeBmp(4, 4, () => [1, 2, 3]);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 53 }), fc.integer({ min: 0, max: 255 })), {
          maxLength: 6,
        }),
        fc.integer({ min: 0, max: base.length }),
        (edits, cut) => {
          const b = base.slice(0, Math.max(cut, 0));
          for (const [i, v] of edits) if (i < b.length) b[i] = v;
          try {
            const img = decodeBmp(b);
            expect(img.data.length).toBe(img.width * img.height * 3);
          } catch (err) {
            expect(err).toBeInstanceOf(SamError);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
