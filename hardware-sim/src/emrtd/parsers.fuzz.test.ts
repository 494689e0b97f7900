import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApduFormatError, parseCommandApdu } from './CommandApdu.js';
import { CardSecureMessaging, SmStatusError } from './CardSecureMessaging.js';
import { parseTlvs, tlv, TlvParseError } from './Tlv.js';

describe('card-side parsers on hostile bytes', () => {
  it('parseTlvs either parses within bounds or throws TlvParseError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          for (const o of parseTlvs(bytes))
            expect(o.value.length).toBeLessThanOrEqual(bytes.length);
        } catch (error) {
          expect(error).toBeInstanceOf(TlvParseError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('parseTlvs round-trips what tlv() builds', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0x5f1f, 0x7f61, 0x87, 0x99),
        fc.uint8Array({ maxLength: 300 }),
        (tag, value) => {
          const [o] = parseTlvs(tlv(tag, value));
          expect(o?.tag).toBe(tag);
          expect(o?.value).toEqual(value);
        },
      ),
    );
  });

  it('parseCommandApdu accepts the four cases and throws only ApduFormatError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          const apdu = parseCommandApdu(bytes);
          expect(apdu.data.length).toBeLessThanOrEqual(bytes.length);
        } catch (error) {
          expect(error).toBeInstanceOf(ApduFormatError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('CardSecureMessaging.unwrapCommand throws only SmStatusError (6987/6988) on random protected commands', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.boolean(), (data, aes) => {
        const sm = new CardSecureMessaging(
          aes
            ? {
                algorithm: 'AES',
                ksEnc: new Uint8Array(16).fill(1),
                ksMac: new Uint8Array(16).fill(2),
                ssc: new Uint8Array(16),
              }
            : {
                algorithm: '3DES',
                ksEnc: new Uint8Array(16).fill(1),
                ksMac: new Uint8Array(16).fill(2),
                ssc: new Uint8Array(8),
              },
        );
        try {
          sm.unwrapCommand({ cla: 0x0c, ins: 0xb0, p1: 0, p2: 0, data, le: 256, extended: false });
        } catch (error) {
          expect(error).toBeInstanceOf(SmStatusError);
          expect([0x6987, 0x6988]).toContain((error as SmStatusError).sw);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
