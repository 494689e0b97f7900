import { brainpoolP256r1 } from '@noble/curves/misc.js';
import { p256 } from '@noble/curves/nist.js';
import { OID } from './oids.js';

/** The elliptic-curve domain parameters the virtual eMRTD offers for PACE and CA. */
export type EmrtdCurveName = 'brainpoolP256r1' | 'P-256';

/** A curve with its standardized PACE parameter id (9303-11 §9.5.1) and its named-curve OID. */
export interface EmrtdCurve {
  readonly name: EmrtdCurveName;
  readonly paceParameterId: number;
  readonly oid: string;
  readonly Point: typeof p256.Point;
  /** Field element size in bytes. */
  readonly size: number;
}

/** The supported curves by name. */
export const EMRTD_CURVES: Readonly<Record<EmrtdCurveName, EmrtdCurve>> = {
  brainpoolP256r1: {
    name: 'brainpoolP256r1',
    paceParameterId: 13,
    oid: OID.brainpoolP256r1,
    Point: brainpoolP256r1.Point,
    size: 32,
  },
  'P-256': { name: 'P-256', paceParameterId: 12, oid: OID.secp256r1, Point: p256.Point, size: 32 },
};
