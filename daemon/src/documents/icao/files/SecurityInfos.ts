import { EmrtdError } from '../EmrtdError.js';
import { parseTlv, parseTlvList, type Tlv } from '../tlv/BerTlv.js';
import { decodeOid, decodeSmallInteger } from '../tlv/oid.js';

/** One SecurityInfo of EF.CardAccess / DG14: its protocol OID and the remaining DER elements. */
export interface SecurityInfo {
  readonly protocol: string;
  /** The raw DER elements after the OID. */
  readonly elements: readonly Tlv[];
}

/** PACEInfo (9303-11 §9.2.1). */
export interface PaceInfo {
  readonly protocol: string;
  readonly version: number;
  readonly parameterId: number | undefined;
}

/** ChipAuthenticationInfo (9303-11 §9.2.5). */
export interface ChipAuthenticationInfo {
  readonly protocol: string;
  readonly version: number;
  readonly keyId: number | undefined;
}

/** ChipAuthenticationPublicKeyInfo (9303-11 §9.2.6): the chip's static key as DER SubjectPublicKeyInfo. */
export interface ChipAuthenticationPublicKeyInfo {
  readonly protocol: string;
  readonly subjectPublicKeyInfo: Uint8Array;
  readonly keyId: number | undefined;
}

export const OID_PACE_PREFIX = '0.4.0.127.0.7.2.2.4.';
export const OID_CA_PREFIX = '0.4.0.127.0.7.2.2.3.';
export const OID_PK_DH = '0.4.0.127.0.7.2.2.1.1';
export const OID_PK_ECDH = '0.4.0.127.0.7.2.2.1.2';
/** id-AA (9303-11 §9.2.9) ActiveAuthenticationInfo, naming the ECDSA signature algorithm. */
export const OID_AA = '2.23.136.1.1.5';

/**
 * Parse a SecurityInfos SET (EF.CardAccess, EF.CardSecurity content, DG14 content). Entries
 * that are not SEQUENCE { OID, … } are malformed; unknown protocols are kept as generic infos.
 */
export class SecurityInfos {
  readonly infos: readonly SecurityInfo[];

  private constructor(infos: SecurityInfo[]) {
    this.infos = infos;
  }

  /** Parse DER `SET OF SecurityInfo`. */
  static parse(der: Uint8Array): SecurityInfos {
    const set = parseTlv(der);
    if (set.tag !== 0x31)
      throw new EmrtdError(
        'document_response_malformed',
        `SecurityInfos: expected SET (31), got ${set.tag.toString(16)}`,
      );
    const infos: SecurityInfo[] = [];
    for (const seq of parseTlvList(set.value)) {
      if (seq.tag !== 0x30)
        throw new EmrtdError('document_response_malformed', 'SecurityInfo is not a SEQUENCE');
      const elements = parseTlvList(seq.value);
      const oid = elements[0];
      if (oid === undefined || oid.tag !== 0x06)
        throw new EmrtdError(
          'document_response_malformed',
          'SecurityInfo does not start with an OID',
        );
      infos.push({ protocol: decodeOid(oid.value), elements: elements.slice(1) });
    }
    return new SecurityInfos(infos);
  }

  /** Every PACEInfo (protocol under id-PACE with an INTEGER version). */
  paceInfos(): PaceInfo[] {
    return this.infos
      .filter((i) => i.protocol.startsWith(OID_PACE_PREFIX) && i.elements[0]?.tag === 0x02)
      .map((i) => ({
        protocol: i.protocol,
        version: decodeSmallInteger((i.elements[0] as Tlv).value),
        parameterId:
          i.elements[1]?.tag === 0x02 ? decodeSmallInteger(i.elements[1].value) : undefined,
      }));
  }

  /** Every ChipAuthenticationInfo. */
  chipAuthenticationInfos(): ChipAuthenticationInfo[] {
    return this.infos
      .filter((i) => i.protocol.startsWith(OID_CA_PREFIX) && i.elements[0]?.tag === 0x02)
      .map((i) => ({
        protocol: i.protocol,
        version: decodeSmallInteger((i.elements[0] as Tlv).value),
        keyId: i.elements[1]?.tag === 0x02 ? decodeSmallInteger(i.elements[1].value) : undefined,
      }));
  }

  /** Every ChipAuthenticationPublicKeyInfo. */
  chipAuthenticationPublicKeyInfos(): ChipAuthenticationPublicKeyInfo[] {
    const out: ChipAuthenticationPublicKeyInfo[] = [];
    for (const i of this.infos) {
      if (i.protocol !== OID_PK_DH && i.protocol !== OID_PK_ECDH) continue;
      const spki = i.elements[0];
      if (spki === undefined || spki.tag !== 0x30)
        throw new EmrtdError(
          'document_response_malformed',
          'ChipAuthenticationPublicKeyInfo without SubjectPublicKeyInfo',
        );
      const header = spki.headerLength;
      const full = new Uint8Array(
        spki.value.buffer,
        spki.value.byteOffset - header,
        spki.totalLength,
      ).slice();
      out.push({
        protocol: i.protocol,
        subjectPublicKeyInfo: full,
        keyId: i.elements[1]?.tag === 0x02 ? decodeSmallInteger(i.elements[1].value) : undefined,
      });
    }
    return out;
  }
}
