import { AsnConvert } from '@peculiar/asn1-schema';
import { ContentInfo, SignedData, id_signedData, type SignerInfo } from '@peculiar/asn1-cms';
import type { Certificate } from '@peculiar/asn1-x509';
import { EmrtdError } from '../EmrtdError.js';
import { parseTlv, parseTlvList } from '../tlv/BerTlv.js';
import { decodeOid, decodeSmallInteger } from '../tlv/oid.js';

/** id-icao-mrtd-security-ldsSecurityObject. */
export const OID_LDS_SECURITY_OBJECT = '2.23.136.1.1.1';

/** Digest algorithm OIDs → node:crypto hash names. */
export const DIGEST_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

function malformed(message: string, cause?: unknown): EmrtdError {
  return new EmrtdError(
    'document_sod_invalid',
    `EF.SOD: ${message}`,
    cause === undefined ? {} : { cause },
  );
}

/**
 * EF.SOD (9303-10 §4.6.2): a CMS SignedData over the LDSSecurityObject, which lists the hash of
 * every data group. Parsing checks structure only; {@link PassiveAuthentication} verifies.
 */
export class SodFile {
  readonly signedData: SignedData;
  readonly signerInfo: SignerInfo;
  /** The encapsulated content (DER LDSSecurityObject) exactly as signed. */
  readonly eContent: Uint8Array;
  /** node:crypto name of the LDSSecurityObject's hash algorithm. */
  readonly hashAlgorithm: string;
  /** The signed data-group hashes by DG number. */
  readonly dataGroupHashes: ReadonlyMap<number, Uint8Array>;
  /** Certificates carried in the SignedData (normally the Document Signer), as DER. */
  readonly certificates: readonly Uint8Array[];
  /** The SignerInfo's signed attributes exactly as encoded, re-tagged as SET (31): what the signature covers. */
  readonly signedAttributesDer: Uint8Array | undefined;

  private constructor(fields: {
    signedData: SignedData;
    signerInfo: SignerInfo;
    eContent: Uint8Array;
    hashAlgorithm: string;
    dataGroupHashes: Map<number, Uint8Array>;
    certificates: Uint8Array[];
    signedAttributesDer: Uint8Array | undefined;
  }) {
    this.signedAttributesDer = fields.signedAttributesDer;
    this.signedData = fields.signedData;
    this.signerInfo = fields.signerInfo;
    this.eContent = fields.eContent;
    this.hashAlgorithm = fields.hashAlgorithm;
    this.dataGroupHashes = fields.dataGroupHashes;
    this.certificates = fields.certificates;
  }

  /** Parse EF.SOD (`77 { ContentInfo }`). Failures are `document_sod_invalid`. */
  static parse(bytes: Uint8Array): SodFile {
    let cmsDer: Uint8Array;
    try {
      const outer = parseTlv(bytes);
      if (outer.tag !== 0x77) throw malformed(`expected tag 77, got ${outer.tag.toString(16)}`);
      cmsDer = outer.value;
    } catch (err) {
      if (err instanceof EmrtdError && err.code === 'document_sod_invalid') throw err;
      throw malformed('outer TLV does not parse', err);
    }
    let signedData: SignedData;
    try {
      const ci = AsnConvert.parse(cmsDer, ContentInfo);
      if (ci.contentType !== id_signedData)
        throw malformed(`content type ${ci.contentType} is not SignedData`);
      signedData = AsnConvert.parse(ci.content, SignedData);
    } catch (err) {
      if (err instanceof EmrtdError) throw err;
      throw malformed('CMS SignedData does not parse', err);
    }
    const eci = signedData.encapContentInfo;
    if (eci.eContentType !== OID_LDS_SECURITY_OBJECT)
      throw malformed(`eContentType ${eci.eContentType} is not ldsSecurityObject`);
    let content: Uint8Array;
    if (eci.eContent?.single !== undefined) content = normalizeOctets(eci.eContent.single);
    else if (eci.eContent?.any !== undefined) {
      const raw = new Uint8Array(eci.eContent.any);
      let inner;
      try {
        inner = parseTlv(raw);
      } catch (err) {
        throw malformed('eContent does not parse', err);
      }
      content = inner.tag === 0x04 ? inner.value.slice() : raw;
    } else throw malformed('no encapsulated LDSSecurityObject');
    const signerInfo = signedData.signerInfos[0];
    if (signerInfo === undefined || signedData.signerInfos.length !== 1)
      throw malformed(`expected exactly one SignerInfo, got ${signedData.signerInfos.length}`);
    const { hashAlgorithm, hashes } = parseLdsSecurityObject(content);
    const certificates = (signedData.certificates ?? [])
      .map((c) => c.certificate)
      .filter((c): c is Certificate => c !== undefined)
      .map((c) => new Uint8Array(AsnConvert.serialize(c)));
    let signedAttributesDer: Uint8Array | undefined;
    try {
      signedAttributesDer = rawSignedAttributes(cmsDer);
    } catch (err) {
      throw malformed('SignerInfo does not parse', err);
    }
    return new SodFile({
      signedData,
      signerInfo,
      eContent: content,
      hashAlgorithm,
      dataGroupHashes: hashes,
      certificates,
      signedAttributesDer,
    });
  }
}

function normalizeOctets(octets: unknown): Uint8Array {
  if (octets instanceof ArrayBuffer) return new Uint8Array(octets.slice(0));
  if (ArrayBuffer.isView(octets))
    return new Uint8Array(
      octets.buffer.slice(octets.byteOffset, octets.byteOffset + octets.byteLength),
    );
  if (typeof octets === 'object' && octets !== null && 'buffer' in octets) {
    const b = (octets as { buffer: unknown }).buffer;
    if (b instanceof ArrayBuffer) return new Uint8Array(b.slice(0));
  }
  throw malformed('eContent is not an OCTET STRING');
}

/** Parse LDSSecurityObject ::= SEQUENCE { version, hashAlgorithm, dataGroupHashValues, ldsVersionInfo? }. */
export function parseLdsSecurityObject(der: Uint8Array): {
  hashAlgorithm: string;
  hashes: Map<number, Uint8Array>;
} {
  try {
    const seq = parseTlv(der);
    if (seq.tag !== 0x30) throw malformed('LDSSecurityObject is not a SEQUENCE');
    const [version, algId, values] = parseTlvList(seq.value);
    if (version?.tag !== 0x02 || algId?.tag !== 0x30 || values?.tag !== 0x30)
      throw malformed('LDSSecurityObject fields out of order');
    const oid = parseTlvList(algId.value)[0];
    if (oid?.tag !== 0x06) throw malformed('hashAlgorithm without OID');
    const oidText = decodeOid(oid.value);
    const hashAlgorithm = DIGEST_ALGORITHMS[oidText];
    if (hashAlgorithm === undefined)
      throw new EmrtdError(
        'document_unsupported_algorithm',
        `EF.SOD: hash algorithm ${oidText} is not supported`,
      );
    const hashes = new Map<number, Uint8Array>();
    for (const dgh of parseTlvList(values.value)) {
      const [num, hash] = parseTlvList(dgh.value);
      if (dgh.tag !== 0x30 || num?.tag !== 0x02 || hash?.tag !== 0x04)
        throw malformed('DataGroupHash is not SEQUENCE { INTEGER, OCTET STRING }');
      const dg = decodeSmallInteger(num.value);
      if (dg < 1 || dg > 16 || hashes.has(dg))
        throw malformed(`bad or duplicate data group number ${dg}`);
      hashes.set(dg, hash.value.slice());
    }
    return { hashAlgorithm, hashes };
  } catch (err) {
    if (
      err instanceof EmrtdError &&
      (err.code === 'document_sod_invalid' || err.code === 'document_unsupported_algorithm')
    )
      throw err;
    throw malformed('LDSSecurityObject does not parse', err);
  }
}

/** The raw signed attributes of the (single) SignerInfo in a ContentInfo, tag changed from A0 to 31. */
function rawSignedAttributes(contentInfoDer: Uint8Array): Uint8Array | undefined {
  const ci = parseTlv(contentInfoDer);
  const explicit = parseTlvList(ci.value).find((t) => t.tag === 0xa0);
  if (explicit === undefined) throw malformed('ContentInfo has no content');
  const signedData = parseTlv(explicit.value);
  const signerInfos = parseTlvList(signedData.value).at(-1);
  if (signerInfos?.tag !== 0x31) throw malformed('SignedData has no SignerInfos SET');
  const signerInfo = parseTlvList(signerInfos.value)[0];
  if (signerInfo === undefined) throw malformed('SignerInfos is empty');
  const attrs = parseTlvList(signerInfo.value).find((t) => t.tag === 0xa0);
  if (attrs === undefined) return undefined;
  const der = new Uint8Array(attrs.totalLength);
  der.set(
    new Uint8Array(
      attrs.value.buffer,
      attrs.value.byteOffset - attrs.headerLength,
      attrs.totalLength,
    ),
  );
  der[0] = 0x31;
  return der;
}
