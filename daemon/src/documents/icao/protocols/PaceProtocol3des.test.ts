import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { p256 } from '@noble/curves/nist.js';
import { bytesToBigInt, concat, hex, toHex, uintToBytes } from '../bytes.js';
import { tdesCbc } from '../crypto/blockCiphers.js';
import { retailMac } from '../crypto/retailMac.js';
import { padIso9797 } from '../crypto/padding.js';
import { kdf, KDF_COUNTER } from '../crypto/kdf.js';
import { mrzInformation } from '../crypto/bacKeys.js';
import { encodeTlv, parseTlv, parseTlvList } from '../tlv/BerTlv.js';
import { encodeOid } from '../tlv/oid.js';
import { CommandApdu } from '../apdu/CommandApdu.js';
import type { CardTransport } from '../transport/CardTransport.js';
import { SecureMessagingSender } from '../sm/SecureMessagingSender.js';
import { PaceProtocol, selectPaceSuite } from './PaceProtocol.js';

const OID = '0.4.0.127.0.7.2.2.4.2.1'; // id-PACE-ECDH-GM-3DES
const PASSWORD = {
  kind: 'mrz',
  documentNumber: 'T22000129',
  birthDate: '640812',
  expiryDate: '101031',
} as const;

/** A minimal chip side of PACE ECDH-GM with 3DES on P-256, written from 9303-11 §4.4 independently of PaceProtocol. */
function paceCard(
  password: typeof PASSWORD,
): CardTransport & { ksMac?: Uint8Array; ssc: Uint8Array } {
  const G = p256.Point.BASE;
  const n = p256.Point.Fn.ORDER;
  const kPi = kdf(
    new Uint8Array(
      createHash('sha1')
        .update(mrzInformation(password.documentNumber, password.birthDate, password.expiryDate))
        .digest(),
    ),
    KDF_COUNTER.pace,
    '3DES',
  );
  const s = hex('0123456789ABCDEFFEDCBA9876543210');
  let mapped: typeof G | undefined;
  let pkPicc: Uint8Array | undefined;
  let pkPcd: Uint8Array | undefined;
  const state: CardTransport & { ksMac?: Uint8Array; ssc: Uint8Array } = {
    ssc: new Uint8Array(8),
    transmit: async (c) => {
      const ins = c[1];
      if (ins === 0x22) return hex('9000');
      const inner = parseTlvList(parseTlv(c.subarray(5, 5 + (c[4] as number))).value);
      const ok = (body: Uint8Array): Uint8Array => concat(encodeTlv(0x7c, body), hex('9000'));
      if (inner.length === 0) return ok(encodeTlv(0x80, tdesCbc(kPi, new Uint8Array(8), s, true)));
      const t = inner[0]!;
      if (t.tag === 0x81) {
        const sk = 0x1234567n;
        const h = p256.Point.fromBytes(t.value).multiply(sk);
        mapped = G.multiply(bytesToBigInt(s) % n).add(h);
        return ok(encodeTlv(0x82, G.multiply(sk).toBytes(false)));
      }
      if (t.tag === 0x83) {
        pkPcd = t.value.slice();
        const sk = 0x7654321n;
        pkPicc = mapped!.multiply(sk).toBytes(false);
        const k = uintToBytes(p256.Point.fromBytes(t.value).multiply(sk).toAffine().x, 32);
        state.ksMac = kdf(k, KDF_COUNTER.mac, '3DES');
        return ok(encodeTlv(0x84, pkPicc));
      }
      if (t.tag === 0x85) {
        const token = (pk: Uint8Array): Uint8Array =>
          retailMac(
            state.ksMac!,
            padIso9797(
              encodeTlv(0x7f49, concat(encodeTlv(0x06, encodeOid(OID)), encodeTlv(0x86, pk))),
              8,
            ),
          );
        if (toHex(t.value) !== toHex(token(pkPicc!))) return hex('6300');
        return ok(encodeTlv(0x86, token(pkPcd!)));
      }
      return hex('6A80');
    },
  };
  return state;
}

describe('PACE ECDH-GM with 3DES secure messaging (P-256)', () => {
  it('agrees keys with an independently written chip side; the new channel is 3DES with an 8-byte zero SSC', async () => {
    const cardAccess = encodeTlv(
      0x31,
      encodeTlv(
        0x30,
        concat(
          encodeTlv(0x06, encodeOid(OID)),
          encodeTlv(0x02, Uint8Array.of(2)),
          encodeTlv(0x02, Uint8Array.of(12)),
        ),
      ),
    );
    const { SecurityInfos } = await import('../files/SecurityInfos.js');
    const suite = selectPaceSuite(SecurityInfos.parse(cardAccess).paceInfos())!;
    expect(suite).toMatchObject({ cipher: '3DES', parameterId: 12 });
    const card = paceCard(PASSWORD);
    const result = await new PaceProtocol(new SecureMessagingSender(card)).run(suite, PASSWORD);
    expect(result.secureMessaging.cipher).toBe('3DES');
    expect(toHex(result.secureMessaging.ssc)).toBe('0000000000000000');
    // the first protected command's MAC verifies with the chip's KSmac
    const wrapped = result.secureMessaging.wrap(
      new CommandApdu({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: hex('011E') }),
    );
    const objects = parseTlvList(wrapped.data);
    const macInput = concat(
      padIso9797(hex('0CA4020C'), 8),
      ...objects.slice(0, -1).map((o) => encodeTlv(o.tag, o.value)),
    );
    expect(
      toHex(retailMac(card.ksMac!, padIso9797(concat(hex('0000000000000001'), macInput), 8))),
    ).toBe(toHex(objects.at(-1)!.value));
  });

  it('a wrong password fails at mutualAuthenticate with document_access_denied', async () => {
    const cardAccess = encodeTlv(
      0x31,
      encodeTlv(
        0x30,
        concat(
          encodeTlv(0x06, encodeOid(OID)),
          encodeTlv(0x02, Uint8Array.of(2)),
          encodeTlv(0x02, Uint8Array.of(12)),
        ),
      ),
    );
    const { SecurityInfos } = await import('../files/SecurityInfos.js');
    const suite = selectPaceSuite(SecurityInfos.parse(cardAccess).paceInfos())!;
    await expect(
      new PaceProtocol(new SecureMessagingSender(paceCard(PASSWORD))).run(suite, {
        ...PASSWORD,
        birthDate: '640813',
      }),
    ).rejects.toMatchObject({
      code: 'document_access_denied',
      step: 'mutualAuthenticate',
      sw: 0x6300,
    });
  });
});
