import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hex, toHex } from '../bytes.js';
import { CommandApdu } from '../apdu/CommandApdu.js';
import { EmrtdError } from '../EmrtdError.js';
import { SecureMessaging } from './SecureMessaging.js';
import { concat } from '../bytes.js';
import { padIso9797 } from '../crypto/padding.js';
import { aesCbc, aesEcb, tdesCbc } from '../crypto/blockCiphers.js';
import { retailMac } from '../crypto/retailMac.js';
import { aesCmac } from '../crypto/aesCmac.js';
import { encodeTlv } from '../tlv/BerTlv.js';

const KS_ENC = hex('979EC13B1CBFE9DCD01AB0FED307EAE5');
const KS_MAC = hex('F1CB1F1FB5ADF208806B89DC579DC1F8');

function d4(): SecureMessaging {
  return new SecureMessaging({
    cipher: '3DES',
    ksEnc: KS_ENC,
    ksMac: KS_MAC,
    ssc: hex('887022120C06C226'),
  });
}

describe('SecureMessaging 3DES (9303-11 App. D.4)', () => {
  it('wraps SELECT EF.COM, READ BINARY 4 and READ BINARY 18 and unwraps the responses', () => {
    const sm = d4();
    const select = sm.wrap(
      new CommandApdu({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: hex('011E') }),
    );
    expect(toHex(sm.ssc)).toBe('887022120C06C227');
    expect(toHex(select.encode())).toBe('0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800');
    const r1 = sm.unwrap(hex('990290008E08FA855A5D4C50A8ED9000'));
    expect(toHex(sm.ssc)).toBe('887022120C06C228');
    expect(r1.sw).toBe(0x9000);
    expect(r1.data.length).toBe(0);

    const read4 = sm.wrap(new CommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 }));
    expect(toHex(sm.ssc)).toBe('887022120C06C229');
    expect(toHex(read4.encode())).toBe('0CB000000D9701048E08ED6705417E96BA5500');
    const r2 = sm.unwrap(hex('8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000'));
    expect(toHex(sm.ssc)).toBe('887022120C06C22A');
    expect(toHex(r2.data)).toBe('60145F01');

    const read18 = sm.wrap(new CommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 4, ne: 0x12 }));
    expect(toHex(sm.ssc)).toBe('887022120C06C22B');
    expect(toHex(read18.encode())).toBe('0CB000040D9701128E082EA28A70F3C7B53500');
    const r3 = sm.unwrap(
      hex('871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000'),
    );
    expect(toHex(sm.ssc)).toBe('887022120C06C22C');
    expect(toHex(r3.data)).toBe('04303130365F36063034303030305C026175');
    expect(r3.sw).toBe(0x9000);
  });

  it('rejects a response with a bad MAC (document_mac_invalid) and is dead afterwards', () => {
    const sm = d4();
    sm.wrap(new CommandApdu({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: hex('011E') }));
    expect(() => sm.unwrap(hex('990290008E08FA855A5D4C50A8EE9000'))).toThrow(
      expect.objectContaining({ code: 'document_mac_invalid' }),
    );
    expect(sm.dead).toBe(true);
    expect(() => sm.wrap(new CommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 }))).toThrow(
      EmrtdError,
    );
  });

  it('tells a cut-short response (document_response_truncated) from one that does not parse (document_response_malformed)', () => {
    const full = '8709019FF0EC34F9922651990290008E08AD55CC17140B2DED';
    const read4 = (): SecureMessaging => {
      const sm = d4();
      sm.wrap(new CommandApdu({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: hex('011E') }));
      sm.unwrap(hex('990290008E08FA855A5D4C50A8ED9000'));
      sm.wrap(new CommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 }));
      return sm;
    };
    for (const cut of [2, 7, 9, 11]) {
      const sm = read4();
      expect(() => sm.unwrap(hex(full.slice(0, full.length - cut * 2) + '9000'))).toThrow(
        expect.objectContaining({ code: 'document_response_truncated' }),
      );
      expect(sm.dead).toBe(true);
    }
    // a length form BER never uses: ill-formed, not cut short
    expect(() => read4().unwrap(hex('8785' + full.slice(4) + '9000'))).toThrow(
      expect.objectContaining({ code: 'document_response_malformed' }),
    );
    expect(read4().unwrap(hex(full + '9000')).sw).toBe(0x9000);
  });

  it('rejects a bare 9000 without MAC', () => {
    const sm = d4();
    sm.wrap(new CommandApdu({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: hex('011E') }));
    expect(() => sm.unwrap(hex('9000'))).toThrow(
      expect.objectContaining({ code: 'document_mac_invalid' }),
    );
  });

  it('returns a bare error status word and kills the channel', () => {
    const sm = d4();
    sm.wrap(new CommandApdu({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: hex('0110') }));
    expect(sm.unwrap(hex('6A82')).sw).toBe(0x6a82);
    expect(sm.dead).toBe(true);
  });

  for (const cipher of ['AES-128', 'AES-192', 'AES-256', '3DES'] as const) {
    it(`unwraps a card-protected response with ${cipher} (IV = E(KSenc, SSC) for AES) and checks the MAC`, () => {
      const keyLen = cipher === 'AES-192' ? 24 : cipher === 'AES-256' ? 32 : 16;
      const block = cipher === '3DES' ? 8 : 16;
      const ksEnc = new Uint8Array(keyLen).map((_, i) => i + 1);
      const ksMac = new Uint8Array(keyLen).map((_, i) => 0x40 + i);
      const host = new SecureMessaging({ cipher, ksEnc, ksMac, ssc: new Uint8Array(block) });
      const cmd = host.wrap(new CommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 200 }));
      expect(cmd.encode()[0]).toBe(0x0c);
      // card side: SSC is now 2 for the response
      const ssc = new Uint8Array(block);
      ssc[block - 1] = 2;
      const plain = new Uint8Array(200).map((_, i) => i & 0xff);
      const padded = padIso9797(plain, block);
      const enc =
        cipher === '3DES'
          ? tdesCbc(ksEnc, new Uint8Array(8), padded, true)
          : aesCbc(ksEnc, aesEcb(ksEnc, ssc, true), padded, true);
      const do87 = encodeTlv(0x87, concat(Uint8Array.of(1), enc));
      const do99 = hex('99029000');
      const n = padIso9797(concat(ssc, do87, do99), block);
      const cc = cipher === '3DES' ? retailMac(ksMac, n) : aesCmac(ksMac, n).slice(0, 8);
      const response = concat(do87, do99, encodeTlv(0x8e, cc), hex('9000'));
      const r = host.unwrap(response);
      expect(toHex(r.data)).toBe(toHex(plain));
      expect(r.sw).toBe(0x9000);
      // the same response replayed (SSC 3) must fail the MAC
      host.wrap(new CommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 200 }));
      expect(() => host.unwrap(response)).toThrow(
        expect.objectContaining({ code: 'document_mac_invalid' }),
      );
    });
  }

  it('protects odd-INS commands with DO85 and unwraps DO85 responses (AES)', () => {
    const ksEnc = new Uint8Array(16).fill(3);
    const ksMac = new Uint8Array(16).fill(4);
    const host = new SecureMessaging({ cipher: 'AES-128', ksEnc, ksMac, ssc: new Uint8Array(16) });
    const cmd = host.wrap(
      new CommandApdu({ cla: 0, ins: 0xb1, p1: 0, p2: 0, data: hex('54028000'), ne: 100 }),
    );
    expect(cmd.data[0]).toBe(0x85);
    const ssc = new Uint8Array(16);
    ssc[15] = 2;
    const plain = encodeTlv(0x53, new Uint8Array(40).fill(9));
    const do85 = encodeTlv(
      0x85,
      aesCbc(ksEnc, aesEcb(ksEnc, ssc, true), padIso9797(plain, 16), true),
    );
    const do99 = hex('99029000');
    const cc = aesCmac(ksMac, padIso9797(concat(ssc, do85, do99), 16)).slice(0, 8);
    const r = host.unwrap(concat(do85, do99, encodeTlv(0x8e, cc), hex('9000')));
    expect(toHex(r.data)).toBe(toHex(plain));
  });

  it('never throws anything but EmrtdError on random responses (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const sm = d4();
        sm.wrap(new CommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 }));
        try {
          const r = sm.unwrap(bytes);
          expect(sm.dead).toBe(true); // random bytes never carry a valid MAC, so only a bare SW can pass
          expect(r.data.length).toBe(0);
        } catch (err) {
          expect(err).toBeInstanceOf(EmrtdError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
