import { constants, createPublicKey, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { encodeTlv, parseTlv, parseTlvList } from '../icao/tlv/BerTlv.js';
import { decodeOid, decodeSmallInteger } from '../icao/tlv/oid.js';
import { DIGEST_ALGORITHMS } from '../icao/files/SodFile.js';

/** An AlgorithmIdentifier as OID plus raw DER parameters. */
export interface AlgorithmRef {
  readonly algorithm: string;
  readonly parameters?: Uint8Array | ArrayBuffer | null;
}

const RSA_WITH: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};
const ECDSA_WITH: Readonly<Record<string, string>> = {
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.1': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};
/** BSI TR-03111 ecdsa-plain-SHA* (signature is r‖s). */
const ECDSA_PLAIN_WITH: Readonly<Record<string, string>> = {
  '0.4.0.127.0.7.1.1.4.1.1': 'sha1',
  '0.4.0.127.0.7.1.1.4.1.2': 'sha224',
  '0.4.0.127.0.7.1.1.4.1.3': 'sha256',
  '0.4.0.127.0.7.1.1.4.1.4': 'sha384',
  '0.4.0.127.0.7.1.1.4.1.5': 'sha512',
};
const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const RSA_PSS = '1.2.840.113549.1.1.10';
const EC_PUBLIC_KEY = '1.2.840.10045.2.1';

/** Thrown when a signature algorithm is not implemented (reported as not_supported, never as passed). */
export class UnsupportedAlgorithmError extends Error {
  override readonly name = 'UnsupportedAlgorithmError';
}

const MGF1 = '1.2.840.113549.1.1.8';

/** The digest of an AlgorithmIdentifier DER (SEQUENCE { OID, params }), or undefined when kycd has none for it. */
function digestOf(algorithmIdentifier: Uint8Array): string | undefined {
  const oid = parseTlvList(parseTlv(algorithmIdentifier).value)[0];
  return oid?.tag === 0x06 ? DIGEST_ALGORITHMS[decodeOid(oid.value)] : undefined;
}

/**
 * RSASSA-PSS-params (RFC 4055): hash (default SHA-1), MGF1 with a hash (node:crypto runs MGF1
 * with the signature's hash, so another one is not supported) and the salt length (default 20).
 */
function pssParams(der: Uint8Array | undefined): { hash: string; saltLength: number } {
  let hash = 'sha1';
  let mgfHash = 'sha1';
  let saltLength = 20;
  if (der === undefined || der.length === 0) return { hash, saltLength };
  const seq = parseTlv(der);
  for (const field of parseTlvList(seq.value)) {
    if (field.tag === 0xa0) {
      const h = digestOf(field.value);
      if (h === undefined)
        throw new UnsupportedAlgorithmError('RSASSA-PSS with a hash kycd does not implement');
      hash = h;
    } else if (field.tag === 0xa1) {
      const [oid, inner] = parseTlvList(parseTlv(field.value).value);
      const h = inner === undefined ? undefined : digestOf(encodeTlv(inner.tag, inner.value));
      if (oid?.tag !== 0x06 || decodeOid(oid.value) !== MGF1 || h === undefined)
        throw new UnsupportedAlgorithmError(
          'RSASSA-PSS with a mask generation function other than MGF1',
        );
      mgfHash = h;
    } else if (field.tag === 0xa2) {
      saltLength = decodeSmallInteger(parseTlv(field.value).value);
    }
  }
  if (mgfHash !== hash)
    throw new UnsupportedAlgorithmError(
      `RSASSA-PSS with MGF1-${mgfHash} and ${hash}: kycd needs the same hash for both`,
    );
  return { hash, saltLength };
}

function toBytes(p: Uint8Array | ArrayBuffer | null | undefined): Uint8Array | undefined {
  if (p === null || p === undefined) return undefined;
  return p instanceof Uint8Array ? p : new Uint8Array(p);
}

/**
 * Verify `signature` over `data` with `publicKey` (a KeyObject or DER SubjectPublicKeyInfo) under
 * the signature algorithm `alg`; `digestHint` is the digest OID for bare rsaEncryption /
 * ecPublicKey identifiers (as CMS SignerInfos use). Returns false on a wrong signature; throws
 * {@link UnsupportedAlgorithmError} for algorithms kycd does not implement.
 */
export function verifySignature(
  alg: AlgorithmRef,
  data: Uint8Array,
  signature: Uint8Array,
  publicKey: KeyObject | Uint8Array,
  digestHint?: string,
): boolean {
  const key =
    publicKey instanceof Uint8Array
      ? createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' })
      : publicKey;
  const hint = digestHint === undefined ? undefined : DIGEST_ALGORITHMS[digestHint];
  const oid = alg.algorithm;
  try {
    if (RSA_WITH[oid] !== undefined || oid === RSA_ENCRYPTION) {
      const hash = RSA_WITH[oid] ?? hint;
      if (hash === undefined)
        throw new UnsupportedAlgorithmError(`rsaEncryption without a digest algorithm`);
      return nodeVerify(hash, data, key, signature);
    }
    if (oid === RSA_PSS) {
      const { hash, saltLength } = pssParams(toBytes(alg.parameters));
      return nodeVerify(
        hash,
        data,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength },
        signature,
      );
    }
    if (ECDSA_WITH[oid] !== undefined || oid === EC_PUBLIC_KEY) {
      const hash = ECDSA_WITH[oid] ?? hint;
      if (hash === undefined)
        throw new UnsupportedAlgorithmError('ecPublicKey without a digest algorithm');
      return nodeVerify(hash, data, { key, dsaEncoding: 'der' }, signature);
    }
    if (ECDSA_PLAIN_WITH[oid] !== undefined) {
      return nodeVerify(
        ECDSA_PLAIN_WITH[oid] as string,
        data,
        { key, dsaEncoding: 'ieee-p1363' },
        signature,
      );
    }
  } catch (err) {
    if (err instanceof UnsupportedAlgorithmError) throw err;
    // node:crypto throws on malformed signatures / keys: that is a failed verification
    return false;
  }
  throw new UnsupportedAlgorithmError(`signature algorithm ${oid} is not supported`);
}
