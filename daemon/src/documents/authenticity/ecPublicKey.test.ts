import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeEcPublicKey } from './ecPublicKey.js';

describe('decodeEcPublicKey', () => {
  it.each(['brainpoolP256r1', 'prime256v1', 'brainpoolP384r1', 'secp384r1'] as const)(
    'reads %s keys with named and with explicit domain parameters',
    (namedCurve) => {
      for (const paramEncoding of ['named', 'explicit'] as const) {
        const { publicKey } = generateKeyPairSync('ec', { namedCurve, paramEncoding });
        const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
        const key = decodeEcPublicKey(spki);
        expect(key.curve.name).toBe(
          {
            brainpoolP256r1: 'brainpoolP256r1',
            prime256v1: 'P-256',
            brainpoolP384r1: 'brainpoolP384r1',
            secp384r1: 'P-384',
          }[namedCurve],
        );
        expect(key.point[0]).toBe(0x04);
        expect(() => key.curve.curve.Point.fromBytes(key.point).assertValidity()).not.toThrow();
      }
    },
  );

  it('rejects RSA keys as unsupported', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() =>
      decodeEcPublicKey(new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }))),
    ).toThrow(expect.objectContaining({ code: 'document_unsupported_algorithm' }));
  });
});
