import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeTlv } from '../tlv/BerTlv.js';
import { toHex } from '../bytes.js';
import { ScriptedTransport } from '../transport/ScriptedTransport.js';
import { SecureMessagingSender } from '../sm/SecureMessagingSender.js';
import { ActiveAuthentication } from './ActiveAuthentication.js';

const challenge = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);

describe('ActiveAuthentication with ECDSA (DG15 EC key)', () => {
  it('accepts a plain (r‖s) ECDSA signature over the challenge and rejects a wrong one', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'brainpoolP256r1' });
    const dg15 = encodeTlv(0x6f, new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })));
    const signature = new Uint8Array(
      sign('sha256', challenge, { key: privateKey, dsaEncoding: 'ieee-p1363' }),
    );
    const good = new ScriptedTransport([
      { command: `0088000008${toHex(challenge)}00`, response: `${toHex(signature)}9000` },
    ]);
    expect(
      await new ActiveAuthentication(new SecureMessagingSender(good), {
        random: () => Uint8Array.from(challenge),
      }).run(dg15),
    ).toBe(true);
    const forged = Uint8Array.from(signature);
    forged[5] = (forged[5] as number) ^ 1;
    const bad = new ScriptedTransport([
      { command: `0088000008${toHex(challenge)}00`, response: `${toHex(forged)}9000` },
    ]);
    expect(
      await new ActiveAuthentication(new SecureMessagingSender(bad), {
        random: () => Uint8Array.from(challenge),
      }).run(dg15),
    ).toBe(false);
  });

  it('reports a refused INTERNAL AUTHENTICATE as document_active_authentication_failed', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const dg15 = encodeTlv(0x6f, new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })));
    const t = new ScriptedTransport([{ command: (c) => c[1] === 0x88, response: '6982' }]);
    await expect(
      new ActiveAuthentication(new SecureMessagingSender(t)).run(dg15),
    ).rejects.toMatchObject({
      code: 'document_active_authentication_failed',
      protocol: 'AA',
      sw: 0x6982,
    });
  });
});
