import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, CertificateList } from '@peculiar/asn1-x509';
import { ContentInfo, SignedData } from '@peculiar/asn1-cms';
import { parseTlv, parseTlvList } from '../icao/tlv/BerTlv.js';
import { verifySignature } from './verifySignature.js';

/** A CRL from the trust store. */
export interface TrustStoreCrl {
  readonly file: string;
  readonly list: CertificateList;
  /** DER of the issuer Name. */
  readonly issuerDer: Uint8Array;
  /** DER of tbsCertList (what the CRL signature covers). */
  readonly tbsDer: Uint8Array;
}

/** A file that could not be loaded, and why. Loading continues with the other files. */
export interface TrustStoreLoadError {
  readonly file: string;
  readonly reason: string;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const PEM_CRL = /-----BEGIN X509 CRL-----([\s\S]+?)-----END X509 CRL-----/g;

function derFromPem(body: string): Uint8Array {
  return new Uint8Array(
    Buffer.from(body.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'),
  );
}

/** Certificates from an ICAO CSCA master list (CMS SignedData over CscaMasterList). */
export function parseMasterList(der: Uint8Array): Uint8Array[] {
  const ci = AsnConvert.parse(der, ContentInfo);
  const sd = AsnConvert.parse(ci.content, SignedData);
  const raw = sd.encapContentInfo.eContent?.single ?? sd.encapContentInfo.eContent?.any;
  if (raw === undefined) throw new Error('master list has no content');
  const bytes =
    raw instanceof ArrayBuffer
      ? new Uint8Array(raw)
      : new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  let content: Uint8Array = bytes;
  const first = parseTlv(bytes);
  if (first.tag === 0x04) content = first.value;
  // CscaMasterList ::= SEQUENCE { version INTEGER, certList SET OF Certificate }
  const seq = parseTlv(content);
  const [, set] = parseTlvList(seq.value);
  if (set?.tag !== 0x31) throw new Error('CscaMasterList certList is not a SET');
  return parseTlvList(set.value).map((t) => {
    const start = t.value.byteOffset - t.headerLength;
    return new Uint8Array(t.value.buffer, start, t.totalLength).slice();
  });
}

/**
 * The CSCA trust anchors (and CRLs) Passive Authentication chains Document Signers to. Loaded
 * from a directory of `.pem/.crt/.cer/.der` certificates, `.crl` CRLs (PEM or DER) and ICAO
 * master lists (`.ml`). The master list's own signature is not verified: put only master lists
 * you obtained from a trusted channel into the directory.
 */
export class CscaTrustStore {
  readonly certificates: readonly X509Certificate[];
  readonly crls: readonly TrustStoreCrl[];
  readonly loadErrors: readonly TrustStoreLoadError[];

  constructor(
    certificates: readonly X509Certificate[],
    crls: readonly TrustStoreCrl[] = [],
    loadErrors: readonly TrustStoreLoadError[] = [],
  ) {
    this.certificates = certificates;
    this.crls = crls;
    this.loadErrors = loadErrors;
    // parsed once: every passport read looks CRL issuers up by subject
    this.subjects = certificates.map((c) => Buffer.from(nameDer(c, 'subject')));
  }

  /** The DER subject Name of each of {@link certificates}, in the same order. */
  private readonly subjects: readonly Buffer[];

  /** An empty store: Passive Authentication then reports the chain check as not run. */
  static empty(): CscaTrustStore {
    return new CscaTrustStore([]);
  }

  /** Build a store from DER or PEM certificates (and optionally CRLs as DER). */
  static fromCertificates(
    certs: readonly (Uint8Array | string)[],
    crls: readonly Uint8Array[] = [],
  ): CscaTrustStore {
    const parsedCrls = crls.map((c, i) => parseCrl(c, `crl#${i}`));
    return new CscaTrustStore(
      certs.map((c) => new X509Certificate(typeof c === 'string' ? c : Buffer.from(c))),
      parsedCrls,
    );
  }

  /** Load every certificate, CRL and master list in `dir` (not recursive). Unreadable files are listed in `loadErrors`. */
  static async fromDirectory(dir: string): Promise<CscaTrustStore> {
    const certs: X509Certificate[] = [];
    const crls: TrustStoreCrl[] = [];
    const errors: TrustStoreLoadError[] = [];
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (!entry.isFile()) continue;
      const file = join(dir, entry.name);
      const lower = entry.name.toLowerCase();
      try {
        const bytes = new Uint8Array(await readFile(file));
        const text = Buffer.from(bytes).toString('latin1');
        if (lower.endsWith('.crl')) {
          const pems = [...text.matchAll(PEM_CRL)];
          if (pems.length > 0) for (const m of pems) crls.push(parseCrl(derFromPem(m[0]), file));
          else crls.push(parseCrl(bytes, file));
        } else if (lower.endsWith('.ml') || lower.endsWith('.mls')) {
          for (const der of parseMasterList(bytes))
            certs.push(new X509Certificate(Buffer.from(der)));
        } else if (/\.(pem|crt|cer|der)$/.test(lower)) {
          const pems = text.match(PEM_CERT);
          if (pems !== null) for (const p of pems) certs.push(new X509Certificate(p));
          else certs.push(new X509Certificate(Buffer.from(bytes)));
        }
      } catch (err) {
        errors.push({ file, reason: err instanceof Error ? err.message : String(err) });
      }
    }
    return new CscaTrustStore(certs, crls, errors);
  }

  /** CSCAs that issued `cert` (name match and a verifying signature). */
  issuersOf(cert: X509Certificate): X509Certificate[] {
    return this.certificates.filter((ca) => {
      try {
        return cert.checkIssued(ca) && cert.verify(ca.publicKey);
      } catch {
        return false;
      }
    });
  }

  /**
   * Every CRL whose issuer is the name `issuerDer` (DER Name), split by whether its signature
   * verifies with the key of a trusted certificate of that name (any of them: a CSCA renews its
   * key, and its CRL may be signed with the newer one). `invalid` CRLs must be reported, never
   * silently dropped: a CRL that does not verify may be a forged one hiding a revocation.
   */
  crlsIssuedBy(issuerDer: Uint8Array): {
    readonly valid: TrustStoreCrl[];
    readonly invalid: TrustStoreCrl[];
  } {
    const issuer = Buffer.from(issuerDer);
    const valid: TrustStoreCrl[] = [];
    const invalid: TrustStoreCrl[] = [];
    const issued = this.crls.filter((crl) => issuer.equals(crl.issuerDer));
    if (issued.length === 0) return { valid, invalid };
    const keys = this.certificates
      .filter((_, i) => this.subjects[i]!.equals(issuer))
      .map((c) => c.publicKey);
    for (const crl of issued) {
      const ok = keys.some((key) => {
        try {
          return verifySignature(
            crl.list.signatureAlgorithm,
            crl.tbsDer,
            new Uint8Array(crl.list.signature),
            key,
          );
        } catch {
          return false;
        }
      });
      (ok ? valid : invalid).push(crl);
    }
    return { valid, invalid };
  }
}

/** The DER of a certificate's subject or issuer Name. */
export function nameDer(cert: X509Certificate, which: 'subject' | 'issuer'): Uint8Array {
  const tbs = AsnConvert.parse(cert.raw, Certificate).tbsCertificate;
  return new Uint8Array(AsnConvert.serialize(which === 'subject' ? tbs.subject : tbs.issuer));
}

function parseCrl(der: Uint8Array, file: string): TrustStoreCrl {
  const list = AsnConvert.parse(der, CertificateList);
  return {
    file,
    list,
    issuerDer: new Uint8Array(AsnConvert.serialize(list.tbsCertList.issuer)),
    tbsDer: firstChildDer(der),
  };
}

/** The full DER of the first element inside the outer SEQUENCE (the signed "tbs" part, byte-exact). */
export function firstChildDer(der: Uint8Array): Uint8Array {
  const outer = parseTlv(der);
  const first = parseTlv(outer.value);
  return outer.value.slice(0, first.totalLength);
}
