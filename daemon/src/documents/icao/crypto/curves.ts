import { brainpoolP256r1, brainpoolP384r1, brainpoolP512r1 } from '@noble/curves/misc.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';

/** The curve operations the eMRTD protocols need (a noble `ECDSA` instance). */
export type EcCurve = typeof p256;

/** A named elliptic curve with its field size in bytes. */
export interface NamedCurve {
  readonly name: string;
  readonly curve: EcCurve;
  /** Coordinate size in bytes. */
  readonly size: number;
  /** The OID of the named curve (for SubjectPublicKeyInfo). */
  readonly oid: string;
}

const P256: NamedCurve = { name: 'P-256', curve: p256, size: 32, oid: '1.2.840.10045.3.1.7' };
const P384: NamedCurve = { name: 'P-384', curve: p384, size: 48, oid: '1.3.132.0.34' };
const P521: NamedCurve = { name: 'P-521', curve: p521, size: 66, oid: '1.3.132.0.35' };
const BP256: NamedCurve = {
  name: 'brainpoolP256r1',
  curve: brainpoolP256r1 as EcCurve,
  size: 32,
  oid: '1.3.36.3.3.2.8.1.1.7',
};
const BP384: NamedCurve = {
  name: 'brainpoolP384r1',
  curve: brainpoolP384r1 as EcCurve,
  size: 48,
  oid: '1.3.36.3.3.2.8.1.1.11',
};
const BP512: NamedCurve = {
  name: 'brainpoolP512r1',
  curve: brainpoolP512r1 as EcCurve,
  size: 64,
  oid: '1.3.36.3.3.2.8.1.1.13',
};

/**
 * Standardized domain parameters of ICAO 9303-11 §9.5.1 (Table 4) that kycd implements, by
 * parameter id: 12 NIST P-256, 13 brainpoolP256r1, 15 P-384, 16 brainpoolP384r1, 17 brainpoolP512r1, 18 P-521.
 */
export const STANDARDIZED_CURVES: Readonly<Record<number, NamedCurve>> = {
  12: P256,
  13: BP256,
  15: P384,
  16: BP384,
  17: BP512,
  18: P521,
};

/** Named curves by OID (for CA and AA keys). */
export const CURVES_BY_OID: Readonly<Record<string, NamedCurve>> = Object.fromEntries(
  [P256, P384, P521, BP256, BP384, BP512].map((c) => [c.oid, c]),
);
