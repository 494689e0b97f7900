import {
  constants,
  createHash,
  generateKeyPairSync,
  KeyObject,
  privateEncrypt,
  sign,
  type webcrypto,
} from 'node:crypto';
import type { TestSigner } from '../pki/TestPki.js';
import { bytesToBigInt, concat } from './bytes.js';
import { buildDg2 } from './biometricTemplate.js';
import { derBits, derInt, derNull, derOctets, derOid, derSeq, derSet, derUtcTime } from './der.js';
import { EMRTD_CURVES, type EmrtdCurveName } from './ecCurves.js';
import type { EmrtdHolder, EmrtdPhoto } from './EmrtdHolder.js';
import { OID } from './oids.js';
import { buildTd3Mrz, type Td3Mrz } from './Td3Mrz.js';
import { parseTlvs, tlv } from './Tlv.js';

/** Elementary file identifiers of ICAO 9303-10 §4 (LDS1). */
export const EF = {
  cardAccess: 0x011c,
  atrInfo: 0x2f01,
  com: 0x011e,
  sod: 0x011d,
  dg1: 0x0101,
  dg2: 0x0102,
  dg11: 0x010b,
  dg12: 0x010c,
  dg14: 0x010e,
  dg15: 0x010f,
} as const;

/** PACE cipher suites the virtual chip can announce (ECDH Generic Mapping). */
export type PaceCipher = 'AES-128' | 'AES-192' | 'AES-256' | '3DES';

/** PACE configuration of a chip. */
export interface PaceConfig {
  readonly curve: EmrtdCurveName;
  readonly cipher: PaceCipher;
}

/** What the file generator needs besides the holder. */
export interface EmrtdFilesOptions {
  /** The Document Signer that signs EF.SOD. */
  readonly documentSigner: TestSigner;
  /** PACE parameters for EF.CardAccess; `false` for a BAC-only chip (no EF.CardAccess). */
  readonly pace: PaceConfig | false;
  /** Put a Chip Authentication key into DG14. */
  readonly chipAuthentication: boolean;
  /** Put an RSA Active Authentication key into DG15. */
  readonly activeAuthentication: boolean;
  /** Curve of the Chip Authentication key (default brainpoolP256r1). */
  readonly caCurve?: EmrtdCurveName;
  /**
   * Cipher after Chip Authentication (default AES-128: MSE:Set AT + GENERAL AUTHENTICATE;
   * 3DES: MSE:Set KAT, id-CA-ECDH-3DES-CBC-CBC).
   */
  readonly caCipher?: 'AES-128' | '3DES';
  /** Fault: corrupt the first inner TLV length of this data group (1, 2, 14, 15), after signing it. */
  readonly corruptTlvInDataGroup?: number;
  /** LDS version in EF.COM, four digits (default "0107"; the 9303-11 App. D example uses "0106"). */
  readonly ldsVersion?: string;
  /** Fault: serve this photo in DG2 while EF.SOD holds the hash of the original one. */
  readonly swappedPhoto?: EmrtdPhoto;
  /** With an RSA Document Signer: sign EF.SOD with PKCS#1 v1.5 (default) or RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32). */
  readonly rsaSignature?: RsaSodSignature;
}

/** How an RSA Document Signer signs EF.SOD. */
export type RsaSodSignature = 'pkcs1' | 'pss';

/** Everything generated for one chip: file contents by FID and the chip's private keys. */
export interface EmrtdFiles {
  readonly mrz: Td3Mrz;
  readonly files: ReadonlyMap<number, Uint8Array>;
  /** Chip Authentication private key (scalar) and curve, when DG14 is present. */
  readonly chipAuthenticationKey?: {
    readonly curve: EmrtdCurveName;
    readonly privateKey: bigint;
    readonly cipher: 'AES-128' | '3DES';
  };
  /** Active Authentication RSA private key, when DG15 is present. */
  readonly activeAuthenticationKey?: KeyObject;
}

const PACE_OIDS: Readonly<Record<PaceCipher, string>> = {
  'AES-128': OID.paceEcdhGmAes128,
  'AES-192': OID.paceEcdhGmAes192,
  'AES-256': OID.paceEcdhGmAes256,
  '3DES': OID.paceEcdhGm3des,
};

/** The PACE protocol OID of a configuration. */
export function paceOid(pace: PaceConfig): string {
  return PACE_OIDS[pace.cipher];
}

const DG_TAGS: Readonly<Record<number, number>> = {
  1: 0x61,
  2: 0x75,
  11: 0x6b,
  12: 0x6c,
  14: 0x6e,
  15: 0x6f,
};
const DG_FIDS: Readonly<Record<number, number>> = {
  1: EF.dg1,
  2: EF.dg2,
  11: EF.dg11,
  12: EF.dg12,
  14: EF.dg14,
  15: EF.dg15,
};

/** A DG11/DG12-style template: tag list 5C, then each present text field (UTF-8). */
function textTemplate(
  tag: number,
  fields: ReadonlyArray<readonly [number, string | undefined]>,
): Uint8Array {
  const present = fields.filter(
    (f): f is readonly [number, string] => f[1] !== undefined && f[1] !== '',
  );
  const tagList = concat(...present.map(([t]) => Uint8Array.of(t >> 8, t & 0xff)));
  return tlv(
    tag,
    tlv(0x5c, tagList),
    ...present.map(([t, v]) => tlv(t, new TextEncoder().encode(v))),
  );
}

/** EF.CardAccess: SecurityInfos with one PACEInfo (version 2, standardized domain parameters). */
export function buildCardAccess(pace: PaceConfig): Uint8Array {
  return derSet(
    derSeq(derOid(paceOid(pace)), derInt(2), derInt(EMRTD_CURVES[pace.curve].paceParameterId)),
  );
}

function ecSpki(curveName: EmrtdCurveName, publicPoint: Uint8Array): Uint8Array {
  return derSeq(
    derSeq(derOid(OID.ecPublicKey), derOid(EMRTD_CURVES[curveName].oid)),
    derBits(publicPoint),
  );
}

function corruptFirstInnerLength(file: Uint8Array): Uint8Array {
  const out = Uint8Array.from(file);
  // outer tag (1 byte for DG tags) + outer length
  let i = 1;
  const outerLen = out[i] ?? 0;
  i += outerLen > 0x80 ? 1 + (outerLen & 0x7f) : 1;
  // inner tag (1 or 2 bytes)
  i += ((out[i] ?? 0) & 0x1f) === 0x1f ? 2 : 1;
  const first = out[i] ?? 0;
  if (first < 0x7f) out[i] = first + 1;
  else if (first === 0x81) out[i + 1] = Math.min(0xff, (out[i + 1] ?? 0) + 1);
  else if (first === 0x82) {
    const v = (((out[i + 1] ?? 0) << 8) | (out[i + 2] ?? 0)) + 1;
    out[i + 1] = (v >> 8) & 0xff;
    out[i + 2] = v & 0xff;
  } else out[i] = 0x84; // a length form 9303 never uses
  return out;
}

/**
 * ISO 9796-2 digital signature scheme 1 (partial message recovery) with SHA-1, as Active
 * Authentication uses it (9303-11 §6.1): the chip signs M = M1 ‖ M2 where M2 is the 8-byte
 * challenge from the terminal.
 */
export function activeAuthenticationSign(
  key: KeyObject,
  challenge: Uint8Array,
  random: (n: number) => Uint8Array,
): Uint8Array {
  const modulusBytes = Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 1024) / 8);
  const m1 = random(modulusBytes - 20 - 2);
  const digest = createHash('sha1').update(m1).update(challenge).digest();
  const representative = concat(Uint8Array.of(0x6a), m1, digest, Uint8Array.of(0xbc));
  return new Uint8Array(privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, representative));
}

function tbsFields(certificateDer: Uint8Array): { issuer: Uint8Array; serial: Uint8Array } {
  const cert = parseTlvs(certificateDer)[0];
  const tbs = cert ? parseTlvs(cert.value)[0] : undefined;
  const fields = tbs ? parseTlvs(tbs.value) : [];
  const offset = fields[0]?.tag === 0xa0 ? 1 : 0;
  const serial = fields[offset];
  const issuer = fields[offset + 2];
  if (!serial || !issuer) throw new TypeError('DS certificate does not parse');
  return { issuer: tlv(issuer.tag, issuer.value), serial: tlv(serial.tag, serial.value) };
}

/**
 * EF.SOD (tag 77): CMS SignedData (RFC 5652) over an LDSSecurityObject v0 with SHA-256 data
 * group hashes, signed by the Document Signer, whose certificate it carries: ECDSA-SHA256 for
 * an EC key; for an RSA key sha256WithRSAEncryption (PKCS#1 v1.5) or RSASSA-PSS (`rsaSignature`).
 */
export function buildSod(
  hashes: ReadonlyMap<number, Uint8Array>,
  signer: TestSigner,
  signingTime: Date,
  rsaSignature: RsaSodSignature = 'pkcs1',
): Uint8Array {
  const sha256Alg = derSeq(derOid(OID.sha256), derNull());
  const dgHashes = [...hashes.entries()]
    .sort(([a], [b]) => a - b)
    .map(([dg, h]) => derSeq(derInt(dg), derOctets(h)));
  const lds = derSeq(derInt(0), sha256Alg, derSeq(...dgHashes));
  const attrs = [
    derSeq(derOid(OID.contentType), derSet(derOid(OID.ldsSecurityObject))),
    derSeq(derOid(OID.signingTime), derSet(derUtcTime(signingTime))),
    derSeq(derOid(OID.messageDigest), derSet(derOctets(createHash('sha256').update(lds).digest()))),
  ];
  const signedAttrs = derSet(...attrs);
  const key = KeyObject.from(signer.privateKey as webcrypto.CryptoKey);
  const rsa = key.asymmetricKeyType === 'rsa';
  const pss = rsa && rsaSignature === 'pss';
  const signature = pss
    ? sign('sha256', signedAttrs, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
    : sign('sha256', signedAttrs, rsa ? key : { key, dsaEncoding: 'der' });
  const sha256Mgf = derSeq(derOid(OID.mgf1), sha256Alg);
  // RSASSA-PSS-params { [0] hashAlgorithm, [1] maskGenAlgorithm, [2] saltLength } (RFC 4055)
  const signatureAlgorithm = pss
    ? derSeq(
        derOid(OID.rsassaPss),
        derSeq(tlv(0xa0, sha256Alg), tlv(0xa1, sha256Mgf), tlv(0xa2, derInt(32))),
      )
    : rsa
      ? derSeq(derOid(OID.sha256WithRsaEncryption), derNull())
      : derSeq(derOid(OID.ecdsaWithSha256));
  const certDer = new Uint8Array(signer.certificate.rawData);
  const { issuer, serial } = tbsFields(certDer);
  const signerInfo = derSeq(
    derInt(1),
    derSeq(issuer, serial),
    sha256Alg,
    Uint8Array.of(0xa0, ...signedAttrs.subarray(1)),
    signatureAlgorithm,
    derOctets(signature),
  );
  const signedData = derSeq(
    derInt(3),
    derSet(sha256Alg),
    derSeq(derOid(OID.ldsSecurityObject), tlv(0xa0, derOctets(lds))),
    tlv(0xa0, certDer),
    derSet(signerInfo),
  );
  return tlv(0x77, derSeq(derOid(OID.signedData), tlv(0xa0, signedData)));
}

/**
 * Generates the LDS files of a chip from a holder description: EF.COM, EF.CardAccess (when PACE
 * is offered), DG1 (TD3 MRZ), DG2 (ISO 19794-5 face), DG14 (CA key), DG15 (AA key) and EF.SOD.
 */
export function buildEmrtdFiles(holder: EmrtdHolder, options: EmrtdFilesOptions): EmrtdFiles {
  const mrz = buildTd3Mrz(holder);
  const dataGroups = new Map<number, Uint8Array>();
  dataGroups.set(1, tlv(0x61, tlv(0x5f1f, new TextEncoder().encode(mrz.line1 + mrz.line2))));
  dataGroups.set(2, buildDg2(holder.photo));
  const dg11 = holder.additionalPersonalDetails;
  if (dg11) {
    const fullName =
      dg11.fullName ??
      `${holder.surname.toUpperCase().replace(/ /g, '<')}<<${holder.givenNames.toUpperCase().trim().replace(/\s+/g, '<')}`;
    dataGroups.set(
      11,
      textTemplate(0x6b, [
        [0x5f0e, fullName],
        [0x5f10, dg11.personalNumber],
        [0x5f2b, dg11.fullDateOfBirth],
        [0x5f11, dg11.placeOfBirth],
        [0x5f42, dg11.address],
      ]),
    );
  }
  const dg12 = holder.additionalDocumentDetails;
  if (dg12)
    dataGroups.set(
      12,
      textTemplate(0x6c, [
        [0x5f19, dg12.issuingAuthority],
        [0x5f26, dg12.dateOfIssue],
      ]),
    );
  let chipAuthenticationKey: EmrtdFiles['chipAuthenticationKey'];
  let activeAuthenticationKey: KeyObject | undefined;
  if (options.chipAuthentication) {
    const curveName = options.caCurve ?? 'brainpoolP256r1';
    const curve = EMRTD_CURVES[curveName];
    const privateKey = (bytesToBigInt(randomScalarBytes()) % (curve.Point.Fn.ORDER - 1n)) + 1n;
    const publicPoint = curve.Point.BASE.multiply(privateKey).toBytes(false);
    const infos = [
      derSeq(derOid(OID.pkEcdh), ecSpki(curveName, publicPoint)),
      derSeq(derOid(options.caCipher === '3DES' ? OID.caEcdh3des : OID.caEcdhAes128), derInt(1)),
    ];
    if (options.pace)
      infos.push(
        derSeq(
          derOid(paceOid(options.pace)),
          derInt(2),
          derInt(EMRTD_CURVES[options.pace.curve].paceParameterId),
        ),
      );
    dataGroups.set(14, tlv(0x6e, derSet(...infos)));
    chipAuthenticationKey = { curve: curveName, privateKey, cipher: options.caCipher ?? 'AES-128' };
  }
  if (options.activeAuthentication) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      publicExponent: 0x10001,
    });
    dataGroups.set(
      15,
      tlv(0x6f, new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }))),
    );
    activeAuthenticationKey = privateKey;
  }
  if (options.corruptTlvInDataGroup !== undefined) {
    const dg = dataGroups.get(options.corruptTlvInDataGroup);
    if (!dg)
      throw new RangeError(
        `cannot corrupt DG${options.corruptTlvInDataGroup}: the chip has no such data group`,
      );
    dataGroups.set(options.corruptTlvInDataGroup, corruptFirstInnerLength(dg));
  }
  const hashes = new Map<number, Uint8Array>();
  for (const [dg, content] of dataGroups)
    hashes.set(dg, createHash('sha256').update(content).digest());
  if (options.swappedPhoto) dataGroups.set(2, buildDg2(options.swappedPhoto));
  const notBefore = new Date(options.documentSigner.certificate.notBefore);
  const signingTime = new Date(Math.min(Date.now(), notBefore.getTime() + 24 * 3600 * 1000));
  const files = new Map<number, Uint8Array>();
  const tags = [...dataGroups.keys()].sort((a, b) => a - b).map((dg) => DG_TAGS[dg] ?? 0);
  files.set(
    EF.com,
    tlv(
      0x60,
      tlv(0x5f01, new TextEncoder().encode(options.ldsVersion ?? '0107')),
      tlv(0x5f36, new TextEncoder().encode('040000')),
      tlv(0x5c, Uint8Array.from(tags)),
    ),
  );
  if (options.pace) files.set(EF.cardAccess, buildCardAccess(options.pace));
  for (const [dg, content] of dataGroups) files.set(DG_FIDS[dg] ?? 0, content);
  files.set(EF.sod, buildSod(hashes, options.documentSigner, signingTime, options.rsaSignature));
  return {
    mrz,
    files,
    ...(chipAuthenticationKey ? { chipAuthenticationKey } : {}),
    ...(activeAuthenticationKey ? { activeAuthenticationKey } : {}),
  };
}

function randomScalarBytes(): Uint8Array {
  return new Uint8Array(globalThis.crypto.getRandomValues(new Uint8Array(40)));
}
