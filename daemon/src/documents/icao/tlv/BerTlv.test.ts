import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EmrtdError } from '../EmrtdError.js';
import { hex, toHex } from '../bytes.js';
import { encodeTlv, parseTlv, parseTlvList, tlvTotalLengthFromHeader, findTlv } from './BerTlv.js';

describe('BerTlv', () => {
  it('parses EF.COM from 9303-11 D.4', () => {
    const efCom = hex('60145F0104303130375F36063034303030305C026175');
    const outer = parseTlv(efCom);
    expect(outer.tag).toBe(0x60);
    expect(outer.constructed).toBe(true);
    expect(outer.totalLength).toBe(22);
    const inner = parseTlvList(outer.value);
    expect(inner.map((t) => t.tag)).toEqual([0x5f01, 0x5f36, 0x5c]);
    expect(toHex(findTlv(outer.value, 0x5c)!.value)).toBe('6175');
  });

  it('parses long-form lengths and multi-byte tags', () => {
    const value = new Uint8Array(300).fill(7);
    const enc = encodeTlv(0x7f61, value);
    expect(toHex(enc.subarray(0, 5))).toBe('7F6182012C');
    const t = parseTlv(enc);
    expect(t.tag).toBe(0x7f61);
    expect(t.value.length).toBe(300);
    expect(tlvTotalLengthFromHeader(enc.subarray(0, 4))).toBeUndefined();
    expect(tlvTotalLengthFromHeader(enc.subarray(0, 5))).toBe(305);
  });

  it('rejects overruns, indefinite lengths and huge lengths with document_response_malformed', () => {
    for (const bad of ['6105AABB', '6180', '61850100000000', '5F', '5F1F', '618401000000']) {
      expect(() => parseTlvList(hex(bad)), bad).toThrow(EmrtdError);
    }
  });

  it('round-trips encode/parse (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 0x1e }),
        fc.uint8Array({ maxLength: 70000 }),
        (tag, value) => {
          const t = parseTlv(encodeTlv(tag, value));
          expect(t.tag).toBe(tag);
          expect(Buffer.from(t.value).equals(Buffer.from(value))).toBe(true);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('never throws anything but EmrtdError on random bytes (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          const list = parseTlvList(bytes);
          let sum = 0;
          for (const t of list) sum += t.totalLength;
          expect(sum).toBe(bytes.length);
        } catch (err) {
          expect(err).toBeInstanceOf(EmrtdError);
          expect((err as EmrtdError).code).toBe('document_response_malformed');
        }
      }),
      { numRuns: 2000 },
    );
  });
});
