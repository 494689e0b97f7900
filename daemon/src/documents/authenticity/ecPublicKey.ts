import { EmrtdError } from '../icao/EmrtdError.js';
import { bytesToBigInt } from '../icao/bytes.js';
import { CURVES_BY_OID, type NamedCurve } from '../icao/crypto/curves.js';
import { parseTlv, parseTlvList } from '../icao/tlv/BerTlv.js';
import { decodeOid } from '../icao/tlv/oid.js';

const EC_PUBLIC_KEY = '1.2.840.10045.2.1';

/** An EC public key from a SubjectPublicKeyInfo: its curve and the encoded point. */
export interface EcPublicKey {
  readonly curve: NamedCurve;
  readonly point: Uint8Array;
}

/**
 * Decode an EC SubjectPublicKeyInfo with a named curve OID or explicit domain parameters (as
 * eMRTD chips often store them); explicit parameters are matched against the curves kycd knows
 * by p, a, b and the generator. Unknown curves are `document_unsupported_algorithm`.
 */
export function decodeEcPublicKey(spki: Uint8Array): EcPublicKey {
  const seq = parseTlv(spki);
  const [algId, bits] = parseTlvList(seq.value);
  if (algId?.tag !== 0x30 || bits?.tag !== 0x03)
    throw new EmrtdError('document_response_malformed', 'SubjectPublicKeyInfo does not parse');
  const [oid, params] = parseTlvList(algId.value);
  if (oid?.tag !== 0x06 || decodeOid(oid.value) !== EC_PUBLIC_KEY)
    throw new EmrtdError('document_unsupported_algorithm', 'public key is not an EC key');
  const point = bits.value.subarray(1);
  let curve: NamedCurve | undefined;
  if (params?.tag === 0x06) {
    curve = CURVES_BY_OID[decodeOid(params.value)];
  } else if (params?.tag === 0x30) {
    // ECParameters { version, fieldID { prime-field, p }, curve { a, b, seed? }, base, order, cofactor? }
    const [, fieldId, curveSeq, base] = parseTlvList(params.value);
    const p = fieldId === undefined ? undefined : parseTlvList(fieldId.value)[1];
    const [a, b] = curveSeq === undefined ? [] : parseTlvList(curveSeq.value);
    if (p !== undefined && a !== undefined && b !== undefined && base !== undefined) {
      const pv = bytesToBigInt(p.value);
      const av = bytesToBigInt(a.value);
      const bv = bytesToBigInt(b.value);
      curve = Object.values(CURVES_BY_OID).find((c) => {
        const cp = c.curve.Point.CURVE();
        return cp.p === pv && cp.a === av && cp.b === bv;
      });
    }
  }
  if (curve === undefined)
    throw new EmrtdError(
      'document_unsupported_algorithm',
      'EC public key on a curve kycd does not implement',
    );
  return { curve, point: point.slice() };
}
