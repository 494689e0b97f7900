import { createHash, X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import type { AuthenticityCheck, CheckStatus } from '../DocumentReadResult.js';
import { parseTlv } from '../icao/tlv/BerTlv.js';
import { bytesEqual, toHex } from '../icao/bytes.js';
import { DIGEST_ALGORITHMS, type SodFile } from '../icao/files/SodFile.js';
import { nameDer, type CscaTrustStore, type TrustStoreCrl } from './CscaTrustStore.js';
import { UnsupportedAlgorithmError, verifySignature } from './verifySignature.js';

/** One step of Passive Authentication. */
export interface PassiveAuthenticationStep {
  readonly status: CheckStatus;
  readonly code?: string;
  readonly reason?: string;
}

/** Every step on its own, plus the overall check for {@link DocumentAuthenticity}. */
export interface PassiveAuthenticationReport {
  readonly sodSignature: PassiveAuthenticationStep;
  readonly dataGroupHashes: PassiveAuthenticationStep;
  readonly certificateChain: PassiveAuthenticationStep;
  readonly certificateValidity: PassiveAuthenticationStep;
  /**
   * DS and CSCA against the CRLs in the trust store. `not_run` when no CRL of the CSCA was
   * supplied or the CRL is stale (`document_crl_stale`): that alone does not fail the document;
   * `failed` when a certificate is listed or a CRL's signature does not verify.
   */
  readonly revocation: PassiveAuthenticationStep;
  readonly check: AuthenticityCheck;
  /** The Document Signer certificate (DER), when the SOD carries it. */
  readonly documentSigner?: Uint8Array;
}

const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const OID_SKI = '2.5.29.14';

function bufferOf(view: ArrayBuffer | ArrayBufferView): Uint8Array {
  return view instanceof ArrayBuffer
    ? new Uint8Array(view)
    : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function stripLeadingZeros(hexText: string): string {
  return hexText.toUpperCase().replace(/^(00)+(?=.)/, '');
}

function passed(): PassiveAuthenticationStep {
  return { status: 'passed' };
}

function failed(code: string, reason: string): PassiveAuthenticationStep {
  return { status: 'failed', code, reason };
}

/** Find the SOD certificate that matches the SignerInfo's sid. */
function findSigner(sod: SodFile): Uint8Array | undefined {
  const sid = sod.signerInfo.sid;
  for (const der of sod.certificates) {
    const cert = AsnConvert.parse(der, Certificate);
    if (sid.issuerAndSerialNumber !== undefined) {
      const serial = stripLeadingZeros(toHex(bufferOf(sid.issuerAndSerialNumber.serialNumber)));
      const certSerial = stripLeadingZeros(toHex(bufferOf(cert.tbsCertificate.serialNumber)));
      const issuerA = Buffer.from(AsnConvert.serialize(sid.issuerAndSerialNumber.issuer));
      const issuerB = Buffer.from(AsnConvert.serialize(cert.tbsCertificate.issuer));
      if (serial === certSerial && issuerA.equals(issuerB)) return der;
    } else if (sid.subjectKeyIdentifier !== undefined) {
      const ext = cert.tbsCertificate.extensions?.find((e) => e.extnID === OID_SKI);
      if (ext !== undefined) {
        const ski = parseTlv(bufferOf(ext.extnValue)).value;
        if (bytesEqual(ski, bufferOf(sid.subjectKeyIdentifier))) return der;
      }
    }
  }
  return sod.certificates.length === 1 &&
    sid.issuerAndSerialNumber === undefined &&
    sid.subjectKeyIdentifier === undefined
    ? sod.certificates[0]
    : undefined;
}

function verifySodSignature(sod: SodFile, dsDer: Uint8Array): PassiveAuthenticationStep {
  const si = sod.signerInfo;
  const digestOid = si.digestAlgorithm.algorithm;
  const digestName = DIGEST_ALGORITHMS[digestOid];
  if (digestName === undefined)
    return {
      status: 'not_supported',
      code: 'document_unsupported_algorithm',
      reason: `SignerInfo digest ${digestOid} is not supported`,
    };
  let signedBytes: Uint8Array = sod.eContent;
  if (si.signedAttrs !== undefined) {
    const md = si.signedAttrs.find((a) => a.attrType === OID_MESSAGE_DIGEST);
    const value = md?.attrValues[0];
    if (value === undefined)
      return failed('document_sod_invalid', 'signed attributes lack messageDigest');
    const tlv = parseTlv(new Uint8Array(value));
    const expected = new Uint8Array(createHash(digestName).update(sod.eContent).digest());
    if (tlv.tag !== 0x04 || !bytesEqual(tlv.value, expected))
      return failed('document_sod_invalid', 'messageDigest does not match the LDSSecurityObject');
    if (sod.signedAttributesDer === undefined)
      return failed('document_sod_invalid', 'signed attributes not available for verification');
    signedBytes = sod.signedAttributesDer; // the signature covers the attributes as a SET OF
  }
  try {
    const ds = new X509Certificate(Buffer.from(dsDer));
    const ok = verifySignature(
      {
        algorithm: si.signatureAlgorithm.algorithm,
        parameters: si.signatureAlgorithm.parameters ?? null,
      },
      signedBytes,
      bufferOf(si.signature),
      ds.publicKey,
      digestOid,
    );
    return ok
      ? passed()
      : failed(
          'document_sod_invalid',
          'the SOD signature does not verify with the Document Signer key',
        );
  } catch (err) {
    if (err instanceof UnsupportedAlgorithmError)
      return {
        status: 'not_supported',
        code: 'document_unsupported_algorithm',
        reason: err.message,
      };
    return failed(
      'document_sod_invalid',
      `Document Signer certificate unusable: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** Check every read data group's hash against the SOD. */
export function verifyDataGroupHashes(
  sod: SodFile,
  dataGroups: ReadonlyMap<number, Uint8Array>,
): PassiveAuthenticationStep {
  if (dataGroups.size === 0)
    return { status: 'not_run', code: 'document_hash_mismatch', reason: 'no data group was read' };
  for (const [dg, bytes] of [...dataGroups].sort((a, b) => a[0] - b[0])) {
    const signed = sod.dataGroupHashes.get(dg);
    if (signed === undefined)
      return failed('document_hash_mismatch', `DG${dg} has no hash in EF.SOD`);
    const actual = new Uint8Array(createHash(sod.hashAlgorithm).update(bytes).digest());
    if (!bytesEqual(actual, signed))
      return failed('document_hash_mismatch', `DG${dg} hash differs from the one signed in EF.SOD`);
  }
  return passed();
}

function isListed(crl: TrustStoreCrl, cert: X509Certificate): boolean {
  const serial = stripLeadingZeros(cert.serialNumber);
  return (crl.list.tbsCertList.revokedCertificates ?? []).some(
    (r) => stripLeadingZeros(toHex(bufferOf(r.userCertificate))) === serial,
  );
}

function crlDate(time: { getTime(): Date } | undefined): Date | undefined {
  return time === undefined ? undefined : time.getTime();
}

/**
 * Revocation of both links of the chain: the Document Signer on the CRLs its CSCA issues, and
 * the CSCA on the CRLs of its own issuer (itself when self-signed, the older CSCA for a link
 * certificate). A CRL whose signature does not verify fails the step (`document_crl_invalid`);
 * a listed certificate fails it (`document_certificate_revoked`, even on a stale CRL); a CRL
 * past its nextUpdate (or not yet issued at `now`) leaves it `not_run` (`document_crl_stale`).
 */
export function checkRevocation(
  trustStore: CscaTrustStore,
  ds: X509Certificate,
  csca: X509Certificate,
  now: Date,
): PassiveAuthenticationStep {
  const cscaCrls = trustStore.crlsIssuedBy(nameDer(csca, 'subject'));
  const selfSigned = Buffer.from(nameDer(csca, 'issuer')).equals(nameDer(csca, 'subject'));
  const links = [
    { cert: ds, what: 'Document Signer', crls: cscaCrls },
    // a self-signed CSCA is listed on its own CRLs: the same lists, checked once
    {
      cert: csca,
      what: 'CSCA',
      crls: selfSigned ? cscaCrls : trustStore.crlsIssuedBy(nameDer(csca, 'issuer')),
    },
  ];
  const invalid = links.flatMap((l) => l.crls.invalid);
  if (invalid[0] !== undefined) {
    return failed(
      'document_crl_invalid',
      `the CRL ${invalid[0].file} names the CSCA as issuer but its signature does not verify with any trusted CSCA key: revocation cannot be established`,
    );
  }
  for (const link of links) {
    const on = link.crls.valid.find((crl) => isListed(crl, link.cert));
    if (on !== undefined)
      return failed(
        'document_certificate_revoked',
        `the ${link.what} certificate is on the CRL ${on.file}`,
      );
  }
  const valid = [...new Set(links.flatMap((l) => l.crls.valid))];
  if (valid.length === 0)
    return { status: 'not_run', reason: 'no CRL supplied for the issuing CSCA' };
  const stale = valid.find((crl) => {
    const next = crlDate(crl.list.tbsCertList.nextUpdate);
    const issued = crlDate(crl.list.tbsCertList.thisUpdate);
    return (next !== undefined && next < now) || (issued !== undefined && issued > now);
  });
  if (stale !== undefined) {
    const next = crlDate(stale.list.tbsCertList.nextUpdate);
    return {
      status: 'not_run',
      code: 'document_crl_stale',
      reason: `the CRL ${stale.file} is out of date (next update was due ${next?.toISOString() ?? 'unknown'}): revocation is not established`,
    };
  }
  return passed();
}

/**
 * Passive Authentication (ICAO 9303-11 §5.1): the SOD's CMS signature by the Document Signer,
 * the hash of every data group read, the DS → CSCA chain against the trust store, validity dates
 * at `now`, and revocation when the CSCA's CRL was supplied. Every step is reported on its own;
 * the overall check passes only when all of them ran and passed (revocation without a CRL aside).
 */
export function verifyPassiveAuthentication(input: {
  sod: SodFile;
  dataGroups: ReadonlyMap<number, Uint8Array>;
  trustStore: CscaTrustStore;
  now?: Date;
}): PassiveAuthenticationReport {
  const now = input.now ?? new Date();
  const { sod, trustStore } = input;
  const dsDer = findSigner(sod);
  const sodSignature =
    dsDer === undefined
      ? failed('document_sod_invalid', 'EF.SOD carries no certificate matching its SignerInfo')
      : verifySodSignature(sod, dsDer);
  const dataGroupHashes = verifyDataGroupHashes(sod, input.dataGroups);

  let certificateChain: PassiveAuthenticationStep;
  let certificateValidity: PassiveAuthenticationStep = {
    status: 'not_run',
    reason: 'no Document Signer certificate',
  };
  let revocation: PassiveAuthenticationStep = {
    status: 'not_run',
    reason: 'no CRL supplied for the issuing CSCA',
  };
  if (dsDer === undefined) {
    certificateChain = {
      status: 'not_run',
      code: 'document_ds_untrusted',
      reason: 'no Document Signer certificate',
    };
  } else if (trustStore.certificates.length === 0) {
    certificateChain = {
      status: 'not_run',
      code: 'document_trust_store_empty',
      reason: 'no CSCA certificates configured',
    };
  } else {
    const ds = new X509Certificate(Buffer.from(dsDer));
    const issuers = trustStore.issuersOf(ds);
    const csca = issuers[0];
    if (csca === undefined) {
      certificateChain = failed(
        'document_ds_untrusted',
        `Document Signer "${ds.subject.replace(/\n/g, ', ')}" does not chain to any trusted CSCA`,
      );
    } else {
      certificateChain = passed();
      const expired = [ds, csca].find(
        (c) => now < new Date(c.validFrom) || now > new Date(c.validTo),
      );
      certificateValidity =
        expired === undefined
          ? passed()
          : failed(
              'document_certificate_expired',
              `${expired === ds ? 'Document Signer' : 'CSCA'} certificate is not valid on ${now.toISOString().slice(0, 10)} (valid ${expired.validFrom} – ${expired.validTo})`,
            );
      revocation = checkRevocation(trustStore, ds, csca, now);
    }
  }

  const steps = {
    sodSignature,
    dataGroupHashes,
    certificateChain,
    certificateValidity,
    revocation,
  };
  const mandatory = [sodSignature, dataGroupHashes, certificateChain, certificateValidity];
  const firstFailed = [...mandatory, revocation].find((s) => s.status === 'failed');
  const firstNotRun = mandatory.find((s) => s.status !== 'passed');
  const details: Record<string, string> = {};
  for (const [k, v] of Object.entries(steps)) details[k] = v.status;
  const check: AuthenticityCheck =
    firstFailed !== undefined
      ? {
          status: 'failed',
          ...(firstFailed.code === undefined ? {} : { code: firstFailed.code }),
          ...(firstFailed.reason === undefined ? {} : { reason: firstFailed.reason }),
          details,
        }
      : firstNotRun !== undefined
        ? {
            status: firstNotRun.status === 'not_supported' ? 'not_supported' : 'not_run',
            ...(firstNotRun.code === undefined ? {} : { code: firstNotRun.code }),
            ...(firstNotRun.reason === undefined ? {} : { reason: firstNotRun.reason }),
            details,
          }
        : { status: 'passed', details };
  return { ...steps, check, ...(dsDer === undefined ? {} : { documentSigner: dsDer }) };
}
