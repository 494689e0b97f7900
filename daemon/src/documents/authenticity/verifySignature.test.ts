import { constants, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concat } from '../icao/bytes.js';
import { encodeTlv } from '../icao/tlv/BerTlv.js';
import { encodeOid } from '../icao/tlv/oid.js';
import { UnsupportedAlgorithmError, verifySignature } from './verifySignature.js';

const RSA_PSS = '1.2.840.113549.1.1.10';
const MGF1 = '1.2.840.113549.1.1.8';
const SHA1 = '1.3.14.3.2.26';
const SHA256 = '2.16.840.1.101.3.4.2.1';

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY } (parameters NULL or given). */
const algId = (oid: string, parameters: Uint8Array = Uint8Array.of(0x05, 0x00)): Uint8Array =>
  encodeTlv(0x30, concat(encodeTlv(0x06, encodeOid(oid)), parameters));

/** RSASSA-PSS-params (RFC 4055): [0] hash, [1] maskGenAlgorithm, [2] saltLength. */
function pssParams(fields: { hash?: string; mgf?: string; mgfHash?: string; salt?: number }) {
  const parts: Uint8Array[] = [];
  if (fields.hash !== undefined) parts.push(encodeTlv(0xa0, algId(fields.hash)));
  if (fields.mgf !== undefined)
    parts.push(encodeTlv(0xa1, algId(fields.mgf, algId(fields.mgfHash ?? SHA1))));
  if (fields.salt !== undefined)
    parts.push(encodeTlv(0xa2, encodeTlv(0x02, Uint8Array.of(fields.salt))));
  return encodeTlv(0x30, concat(...parts));
}

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const data = new TextEncoder().encode('EF.SOD signed attributes');
const pssSign = (hash: string, saltLength: number): Uint8Array =>
  sign(hash, data, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });

describe('verifySignature with RSASSA-PSS (RFC 4055 parameters)', () => {
  it('uses the defaults (SHA-1, MGF1-SHA-1, salt 20) when the parameters are absent or empty', () => {
    const signature = pssSign('sha1', 20);
    expect(verifySignature({ algorithm: RSA_PSS }, data, signature, publicKey)).toBe(true);
    expect(
      verifySignature(
        { algorithm: RSA_PSS, parameters: pssParams({}) },
        data,
        signature,
        publicKey,
      ),
    ).toBe(true);
    // the defaults are really SHA-1 and 20: a SHA-256 / 32 signature does not verify under them
    expect(verifySignature({ algorithm: RSA_PSS }, data, pssSign('sha256', 32), publicKey)).toBe(
      false,
    );
  });

  it('reads the hash, MGF1 hash and salt length from the parameters', () => {
    const parameters = pssParams({ hash: SHA256, mgf: MGF1, mgfHash: SHA256, salt: 32 });
    expect(
      verifySignature({ algorithm: RSA_PSS, parameters }, data, pssSign('sha256', 32), publicKey),
    ).toBe(true);
    expect(
      verifySignature({ algorithm: RSA_PSS, parameters }, data, pssSign('sha256', 20), publicKey),
    ).toBe(false);
  });

  it('reports what it cannot check as unsupported, never as a failed or passed signature', () => {
    const signature = pssSign('sha256', 32);
    for (const [parameters, message] of [
      [pssParams({ hash: '1.2.3.4', salt: 32 }), /hash kycd does not implement/],
      [pssParams({ hash: SHA256, mgf: '1.2.3.5', salt: 32 }), /other than MGF1/],
      [pssParams({ hash: SHA256, mgf: MGF1, mgfHash: '1.2.3.4', salt: 32 }), /other than MGF1/],
      [pssParams({ hash: SHA256, mgf: MGF1, mgfHash: SHA1, salt: 32 }), /same hash for both/],
    ] as const) {
      expect(() =>
        verifySignature({ algorithm: RSA_PSS, parameters }, data, signature, publicKey),
      ).toThrow(
        expect.objectContaining({
          name: UnsupportedAlgorithmError.name,
          message: expect.stringMatching(message),
        }),
      );
    }
  });
});
